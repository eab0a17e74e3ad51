package dev.abuseguard.store;

import dev.abuseguard.policy.Action;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Puts the shared store behind a time limit and a circuit breaker. While the shared store fails (or
 * the breaker is open, so no request waits on it), each action falls back to its
 * {@code on-store-failure}: the local store decides, the request goes through, or it gets a 503.
 * The breaker probes the shared store again by itself and closes when it answers.
 */
public final class FailoverDecisionStore implements DecisionStore {

    private static final Logger log = LoggerFactory.getLogger(FailoverDecisionStore.class);

    private final DecisionStore shared;
    private final DecisionStore local;
    private final CircuitBreaker breaker;
    private final TimeLimiter timeLimiter;
    private final long denyRetryAfterMillis;

    private final Timer sharedLatency;
    private final MeterRegistry meters;

    public FailoverDecisionStore(DecisionStore shared, DecisionStore local, CircuitBreaker breaker,
                                 TimeLimiter timeLimiter, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.breaker = breaker;
        this.timeLimiter = timeLimiter;
        this.meters = meters;
        this.sharedLatency = Timer.builder("abuseguard.redis.latency")
                .description("Time of one decision on Redis, as the gateway waits for it").register(meters);
        Gauge.builder("abuseguard.redis.breaker.state", breaker, b -> b.getState().getOrder())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open (Resilience4j order)").register(meters);
        this.denyRetryAfterMillis = Math.max(1000, breaker.getCircuitBreakerConfig()
                .getWaitIntervalFunctionInOpenState().apply(1));
        breaker.getEventPublisher().onStateTransition(event -> log.warn(
                "event=store_breaker transition={} deciding={}", event.getStateTransition(),
                event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED ? "redis" : "fallback"));
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        return Mono.defer(() -> {
                    long start = System.nanoTime();
                    return shared.decide(userId, action, spend)
                            .doFinally(signal -> sharedLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
                })
                .transformDeferred(TimeLimiterOperator.of(timeLimiter))
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorResume(error -> {
                    countFallback(action, error);
                    return fallback(userId, action, spend);
                });
    }

    @Override
    public StoreStatus status() {
        return new StoreStatus("redis", breaker.getState().name(), breaker.getState() == CircuitBreaker.State.CLOSED);
    }

    /**
     * Every decision not made by the shared store is counted ({@code abuseguard.store.fallbacks}); those
     * made while the breaker is still closed (the first few of an outage, or a stray timeout) are also
     * logged, the breaker's transitions tell the rest. A timed-out call may still run
     * in Redis later, so a fallback can admit a request Redis also admitted: the price of {@code local}.
     */
    private void countFallback(Action action, Throwable error) {
        String reason = error instanceof io.github.resilience4j.circuitbreaker.CallNotPermittedException ? "breaker_open"
                : error instanceof java.util.concurrent.TimeoutException ? "timeout" : "error";
        meters.counter("abuseguard.store.fallbacks", "mode", action.policy().onStoreFailure().name().toLowerCase(
                java.util.Locale.ROOT), "reason", reason).increment();
        if (!"breaker_open".equals(reason) && breaker.getState() == CircuitBreaker.State.CLOSED) {
            log.warn("event=store_fallback action={} mode={} reason={} error=\"{}\"", action.name(),
                    action.policy().onStoreFailure(), reason, error.toString());
        }
    }

    private Mono<Decision> fallback(String userId, Action action, Spend spend) {
        return switch (action.policy().onStoreFailure()) {
            case LOCAL -> local.decide(userId, action, spend);
            case ALLOW -> Mono.just(Decision.unmetered(action.quota().limit()));
            case DENY -> Mono.just(Decision.storeUnavailable(action.quota().limit(), denyRetryAfterMillis));
        };
    }
}
