package dev.abuseguard.filter;

import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.policy.Action;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code spend-on: failure}: every attempt spent on the way in, so attempts in flight count against the limit;
 * one the backend did not answer with a failure status is given back before the answer goes out, so that the
 * client's next attempt already sees it.
 */
final class SpendOnFailure {

    private SpendOnFailure() {
    }

    static void giveBackUnlessTheBackendFails(DecisionStore store, ServerWebExchange exchange, String userId,
                                              Action action) {
        exchange.getResponse().beforeCommit(() -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            if (status != null && action.policy().failureStatuses().contains(status.value())) {
                return Mono.empty();
            }
            return store.decide(userId, action, Spend.REFUND).then().onErrorResume(e -> Mono.empty());
        });
    }
}
