package dev.abuseguard.filter;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.SpendOn;
import java.time.Duration;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The AbuseGuard filter of one route: who, which action, what the store decides, and the answer. */
final class AbuseGuardFilter implements GatewayFilter {

    private final IdentityResolver identity;
    private final IdentityFallback fallback;
    private final RouteActions actions;
    private final DecisionStore store;
    private final ProblemResponses problems;
    private final RateLimitHeaders headers;

    AbuseGuardFilter(IdentityResolver identity, IdentityFallback fallback, RouteActions actions,
                     DecisionStore store, ProblemResponses problems, RateLimitHeaders headers) {
        this.headers = headers;
        this.identity = identity;
        this.fallback = fallback;
        this.actions = actions;
        this.store = store;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String userId;
        Action action;
        try {
            userId = identity.resolve(exchange.getRequest(), fallback);
            action = actions.resolve(exchange.getRequest());
        } catch (BadInput bad) {
            return problems.badRequest(exchange, bad);
        }
        return store.decide(userId, action).flatMap(decision -> answer(exchange, chain, userId, action, decision));
    }

    private Mono<Void> answer(ServerWebExchange exchange, GatewayFilterChain chain, String userId, Action action,
                              Decision decision) {
        return switch (decision.outcome()) {
            case ALLOWED -> {
                headers.allowed(exchange.getResponse().getHeaders(), action, decision);
                if (action.policy().spendOn() == SpendOn.FAILURE && decision.shadowOf() == null) { // nothing spent
                    SpendOnFailure.giveBackUnlessTheBackendFails(store, exchange, userId, action);
                }
                yield decision.delayMillis() > 0
                        ? Mono.delay(Duration.ofMillis(decision.delayMillis())).then(chain.filter(exchange))
                        : chain.filter(exchange);
            }
            case EXEMPT -> {
                exchange.getResponse().getHeaders().set("X-Abuse-Exempt", "true");
                yield chain.filter(exchange);
            }
            case RATE_LIMITED -> problems.rateLimited(exchange, action, decision, headers);
            case BLOCKED -> problems.blocked(exchange, action, decision);
            case STORE_UNAVAILABLE -> problems.storeUnavailable(exchange, action, decision);
        };
    }
}
