package dev.abuseguard.decision;

import dev.abuseguard.policy.Action;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * A store every gateway instance decides in together (Redis): remote, so it can fail or be slow, which
 * is why the chain puts it behind a circuit breaker and a fallback.
 */
public interface SharedDecisionStore extends DecisionStore {

    /** The decision as a future, started at once: cheaper than a {@link Mono} on the path every request takes. */
    CompletableFuture<Decision> decideAsync(String userId, Action action, Spend spend);

    @Override
    default Mono<Decision> decide(String userId, Action action, Spend spend) {
        return Mono.fromCompletionStage(() -> decideAsync(userId, action, spend));
    }

    /** Opens connections and loads what the store needs before the first request would pay for it. */
    Mono<Void> warmUp();

    /** Whether a failure means the store did not answer in time (counted apart from other errors). */
    boolean isTimeout(Throwable failure);
}
