package dev.abuseguard.decision;

import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.Action;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Puts the shared store behind a circuit breaker; its time limit is the Redis command timeout (see
 * the Lettuce connection). While the shared store fails (or the breaker is open, so no request waits
 * on it), each action falls back to its {@code on-store-failure}: the local store decides, the request
 * goes through, or it gets a 503. The breaker probes the shared store again by itself and closes when it
 * answers.
 *
 * <p>The breaker is driven by hand around the decision's future rather than through Resilience4j's Reactor
 * operators: every request passes here, and one future stage is cheaper than a chain of operators.
 */
final class FailoverDecisionStore implements DecisionStore {

    private static final Logger log = LoggerFactory.getLogger(FailoverDecisionStore.class);

    private final SharedDecisionStore shared;
    private final DecisionStore local;
    private final CircuitBreaker breaker;
    private final long denyRetryAfterMillis;

    private final Timer sharedLatency;
    private final MeterRegistry meters;
    private final StoreFailures failures = new StoreFailures();

    FailoverDecisionStore(SharedDecisionStore shared, DecisionStore local, CircuitBreaker breaker,
                                 MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.breaker = breaker;
        this.meters = meters;
        this.sharedLatency = Timer.builder("abuseguard.redis.latency")
                .description("Time of one decision on Redis, as the gateway waits for it").register(meters);
        Gauge.builder("abuseguard.redis.breaker.state", breaker, b -> b.getState().getOrder())
                .description("Circuit breaker state: 0 closed, 1 open, 2 half-open (Resilience4j order)")
                        .register(meters);
        this.denyRetryAfterMillis = Math.max(1000, breaker.getCircuitBreakerConfig()
                .getWaitIntervalFunctionInOpenState().apply(1));
    }

    @Override
    public Mono<Decision> decide(String userId, Action action, Spend spend) {
        return Mono.fromCompletionStage(() -> decideAsync(userId, action, spend));
    }

    private CompletionStage<Decision> decideAsync(String userId, Action action, Spend spend) {
        if (!breaker.tryAcquirePermission()) {
            return fallback(userId, action, spend, "breaker_open", null);
        }
        long start = System.nanoTime();
        CompletableFuture<Decision> decided;
        try {
            decided = shared.decideAsync(userId, action, spend);
        } catch (RuntimeException e) {
            decided = CompletableFuture.failedFuture(e);
        }
        return decided.handle((decision, failure) -> {
            long took = System.nanoTime() - start;
            sharedLatency.record(took, TimeUnit.NANOSECONDS);
            if (failure == null) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                failures.answered();
                return CompletableFuture.completedFuture(decision);
            }
            Throwable error = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            breaker.onError(took, TimeUnit.NANOSECONDS, error);
            failures.failed(error);
            return fallback(userId, action, spend, shared.isTimeout(error) ? "timeout" : "error", error);
        }).thenCompose(Function.identity());
    }

    @Override
    public StoreStatus status() {
        // a store whose last call failed is not deciding, even before the breaker has seen enough calls to open
        String reason = failures.reason();
        boolean deciding = breaker.getState() == CircuitBreaker.State.CLOSED && reason == null;
        return new StoreStatus("redis", breaker.getState().name(), deciding, reason);
    }

    /**
     * Every decision not made by the shared store is counted ({@code abuseguard.store.fallbacks}); those
     * made while the breaker is still closed (the first few of an outage, or a stray timeout) are also
     * logged, the breaker's transitions tell the rest. A timed-out call may still run
     * in Redis later, so a fallback can admit a request Redis also admitted: the price of {@code local}.
     */
    private CompletionStage<Decision> fallback(String userId, Action action, Spend spend, String reason,
                                               Throwable error) {
        meters.counter("abuseguard.store.fallbacks", "mode", action.policy().onStoreFailure().name()
                .toLowerCase(Locale.ROOT), "reason", reason).increment();
        if (error != null && breaker.getState() == CircuitBreaker.State.CLOSED) {
            log.warn("event=store_fallback action={} mode={} reason={} error={}", action.name(),
                    action.policy().onStoreFailure(), reason, LogValue.quoted(error));
        }
        return switch (action.policy().onStoreFailure()) {
            case LOCAL -> local.decide(userId, action, spend).toFuture();
            case ALLOW -> CompletableFuture.completedFuture(Decision.unmetered(action.quota().limit()));
            case DENY -> CompletableFuture.completedFuture(
                    Decision.storeUnavailable(action.quota().limit(), denyRetryAfterMillis));
        };
    }
}
