package dev.abuseguard.policy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code abuse-guard.store.*}: the stores behind the decisions, read at start-up.
 *
 * @param memory the in-memory store
 * @param redis  the Redis store and its circuit breaker
 */
public record StoreProperties(@DefaultValue @Valid @NotNull Memory memory,
                              @DefaultValue @Valid @NotNull Redis redis) {

    /**
     * The in-memory store: decides when Redis is absent or down.
     *
     * @param maxUsers how many users' state the in-memory store keeps (least recently used leave first)
     */
    public record Memory(@DefaultValue("100000") @Positive long maxUsers) {
    }

    /**
     * The Redis store and its circuit breaker. Resilience4j's own defaults (100 calls, 60 s open) are far
     * too slow for a store that sits on every request.
     *
     * @param enabled                       whether decisions go to Redis when spring.data.redis.* describes one
     * @param eventLoopLanes                one decision connection per event loop of the HTTP server, on that
     *                                      loop (off: one connection on Lettuce's own threads)
     * @param timeout                       the time limit of one decision on Redis
     * @param connectTimeout                the time limit of connecting to Redis
     * @param failureRateThreshold          the share of failed calls (percent) that opens the circuit breaker
     * @param slidingWindowSize             how many recent calls the breaker's failure rate is taken over
     * @param minimumNumberOfCalls          how many calls the breaker needs before it may open
     * @param waitInOpenState               how long the open breaker waits before it probes Redis again
     * @param permittedCallsInHalfOpenState how many probe calls the half-open breaker lets through
     * @param blockCacheTtl                 how often this instance reads its copy of the active blocks afresh,
     *                                      so news of a block or unblock that was lost lasts at most that long
     */
    public record Redis(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean eventLoopLanes,
            @DefaultValue("250ms") @NotNull Duration timeout,
            @DefaultValue("1s") @NotNull Duration connectTimeout,
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("20") @Min(1) int slidingWindowSize,
            @DefaultValue("5") @Min(1) int minimumNumberOfCalls,
            @DefaultValue("10s") @NotNull Duration waitInOpenState,
            @DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState,
            @DefaultValue("60s") @NotNull Duration blockCacheTtl) {
    }
}
