package dev.abuseguard.filter;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.SpendOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AbuseGuard filter of a route with keys: every key read (the body first, bounded, when a key is in it), each
 * decided under its own action at once, and the request forwarded only when every decision allows it. A refused
 * request gives back what the other keys spent, so one key's refusals never use up another's quota.
 */
final class KeyedAbuseGuardFilter implements GatewayFilter {

    /** Refusals in the order one is reported when several keys refuse: the longest-lasting first. */
    private static final List<Outcome> REPORTED_FIRST = List.of(Outcome.BLOCKED, Outcome.RATE_LIMITED,
            Outcome.STORE_UNAVAILABLE);

    private final RouteKeys keys;
    private final DecisionStore store;
    private final ProblemResponses problems;
    private final RateLimitHeaders headers;
    private final JsonMapper json;
    private final int maxBody;

    KeyedAbuseGuardFilter(RouteKeys keys, DecisionStore store, ProblemResponses problems, RateLimitHeaders headers,
                          JsonMapper json, int maxBody) {
        this.keys = keys;
        this.store = store;
        this.problems = problems;
        this.headers = headers;
        this.json = json;
        this.maxBody = maxBody;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!keys.readsBody()) {
            return decide(exchange, chain, null);
        }
        return BufferedBody.read(exchange.getRequest(), maxBody).flatMap(bytes -> {
            ServerWebExchange replayed = exchange.mutate().request(BufferedBody.replayed(exchange.getRequest(), bytes,
                    exchange.getResponse().bufferFactory())).build();
            JsonNode body;
            try {
                body = json.readTree(bytes);
            } catch (JacksonException notJson) {
                return problems.badRequest(exchange, new BadInput("body", "The body must be JSON."));
            }
            return decide(replayed, chain, body);
        }).onErrorResume(BufferedBody.TooLarge.class, tooLarge -> problems.refuse(exchange,
                HttpStatus.CONTENT_TOO_LARGE, "too-large", "Body too large", tooLarge.getMessage()));
    }

    private Mono<Void> decide(ServerWebExchange exchange, GatewayFilterChain chain, JsonNode body) {
        List<String> ids = new ArrayList<>(keys.keys().size());
        try {
            for (RouteKeys.Key key : keys.keys()) {
                ids.add(key.source().key(exchange.getRequest(), body, key.action().name()));
            }
        } catch (BadInput bad) {
            return problems.badRequest(exchange, bad);
        }
        return Flux.range(0, ids.size())
                .flatMapSequential(i -> store.decide(ids.get(i), keys.keys().get(i).action()))
                .collectList()
                .flatMap(decisions -> answer(exchange, chain, ids, decisions));
    }

    private Mono<Void> answer(ServerWebExchange exchange, GatewayFilterChain chain, List<String> ids,
                              List<Decision> decisions) {
        int refused = IntStream.range(0, decisions.size()).boxed()
                .filter(i -> REPORTED_FIRST.contains(decisions.get(i).outcome()))
                .min(Comparator.comparingInt(i -> REPORTED_FIRST.indexOf(decisions.get(i).outcome())))
                .orElse(-1);
        if (refused >= 0) {
            return giveBack(ids, decisions).then(refuse(exchange, keys.keys().get(refused).action(),
                    decisions.get(refused)));
        }
        int tightest = -1;
        long delay = 0;
        for (int i = 0; i < decisions.size(); i++) {
            Decision decision = decisions.get(i);
            Action action = keys.keys().get(i).action();
            if (decision.outcome() != Outcome.ALLOWED) {
                continue;
            }
            if (tightest < 0 || decision.remaining() < decisions.get(tightest).remaining()) {
                tightest = i;
            }
            delay = Math.max(delay, decision.delayMillis());
            if (action.policy().spendOn() == SpendOn.FAILURE && decision.shadowOf() == null) {
                SpendOnFailure.giveBackUnlessTheBackendFails(store, exchange, ids.get(i), action);
            }
        }
        if (tightest < 0) {
            exchange.getResponse().getHeaders().set("X-Abuse-Exempt", "true");
        } else {
            headers.allowed(exchange.getResponse().getHeaders(), keys.keys().get(tightest).action(),
                    decisions.get(tightest));
        }
        return delay > 0 ? Mono.delay(Duration.ofMillis(delay)).then(chain.filter(exchange)) : chain.filter(exchange);
    }

    /** What the allowed keys spent, given back: the request they were spent on goes nowhere. */
    private Mono<Void> giveBack(List<String> ids, List<Decision> decisions) {
        return Flux.range(0, ids.size())
                .filter(i -> decisions.get(i).outcome() == Outcome.ALLOWED && decisions.get(i).shadowOf() == null)
                .flatMap(i -> store.decide(ids.get(i), keys.keys().get(i).action(), Spend.REFUND)
                        .onErrorResume(failure -> Mono.empty()))
                .then();
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Action action, Decision decision) {
        return switch (decision.outcome()) {
            case RATE_LIMITED -> problems.rateLimited(exchange, action, decision, headers);
            case BLOCKED -> problems.blocked(exchange, action, decision);
            default -> problems.storeUnavailable(exchange, action, decision);
        };
    }
}
