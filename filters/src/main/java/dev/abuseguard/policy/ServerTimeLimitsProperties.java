package dev.abuseguard.policy;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code abuse-guard.server.*}: how long the server waits for a request.
 *
 * @param requestHeaderTimeout how long a request head (request line and headers) may take to arrive, counted from
 *        the connection's opening or from the first byte of a later request on it (default 10 s)
 * @param requestBodyTimeout how long a request body may take to arrive whole, counted from the end of its head
 *        (default 30 s)
 */
public record ServerTimeLimitsProperties(
        @DefaultValue("10s") @NotNull Duration requestHeaderTimeout,
        @DefaultValue("30s") @NotNull Duration requestBodyTimeout) {

    private static final Duration SHORTEST = Duration.ofMillis(100);
    private static final Duration LONGEST = Duration.ofHours(1);

    @AssertTrue(message = "request-header-timeout must be between 100ms and 1h")
    public boolean isRequestHeaderTimeoutUsable() {
        return usable(requestHeaderTimeout);
    }

    @AssertTrue(message = "request-body-timeout must be between 100ms and 1h")
    public boolean isRequestBodyTimeoutUsable() {
        return usable(requestBodyTimeout);
    }

    private static boolean usable(Duration limit) {
        return limit == null || (limit.compareTo(SHORTEST) >= 0 && limit.compareTo(LONGEST) <= 0);
    }
}
