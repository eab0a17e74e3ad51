package dev.abuseguard.filter;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Scope;
import dev.abuseguard.policy.Action;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Answers the gateway makes itself, with RFC 9457 problem bodies; the backend is never called. */
public final class ProblemResponses {

    static final String TYPE_PREFIX = "urn:abuse-guard:problem:";

    private final JsonMapper json;

    public ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    /**
     * A refusal of other route filters: {@code type} is the last part of the problem type
     * ({@code urn:abuse-guard:problem:<type>}); no rate-limit headers, as nothing was decided.
     */
    public Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String type, String title,
                             String detail) {
        return write(exchange, status, problem(type, title, status, detail, exchange), headers -> { });
    }

    Mono<Void> badRequest(ServerWebExchange exchange, BadInput bad) {
        Map<String, Object> body = problem("bad-request", "Bad request", HttpStatus.BAD_REQUEST, bad.getMessage(),
                exchange);
        body.put("field", bad.field());
        return write(exchange, HttpStatus.BAD_REQUEST, body, headers -> { });
    }

    Mono<Void> rateLimited(ServerWebExchange exchange, Action action, Decision decision, RateLimitHeaders headers) {
        long retryAfter = RateLimitHeaders.retryAfterSeconds(decision.retryAfterMillis());
        Map<String, Object> body = problem("rate-limited", "Too many requests", HttpStatus.TOO_MANY_REQUESTS,
                decision.scope() == Scope.GLOBAL
                        ? "The global limit of " + action.name() + " (all users together) is reached; retry in "
                                + retryAfter + " s."
                        : "The limit of " + action.name() + " is " + decision.limit() + " per "
                                + action.policy().window() + "; retry in " + retryAfter + " s.", exchange);
        body.put("action", action.name());
        body.put("retryAfterSeconds", retryAfter);
        if (decision.abuseScore() >= 0) {
            body.put("abuseScore", decision.abuseScore());
        }
        // Discord's own members, so that its client libraries read our 429 as they read Discord's.
        body.put("message", "You are being rate limited.");
        body.put("retry_after", Math.max(0, decision.retryAfterMillis()) / 1000.0);
        body.put("global", decision.scope() == Scope.GLOBAL);
        return write(exchange, HttpStatus.TOO_MANY_REQUESTS, body, h -> headers.rateLimited(h, action, decision));
    }

    Mono<Void> blocked(ServerWebExchange exchange, Action action, Decision decision) {
        Map<String, Object> body = problem("blocked", "Blocked for abuse", HttpStatus.FORBIDDEN,
                "This user is blocked from every action after repeated rate-limit violations"
                        + (decision.retryAfterMillis() >= 0 ? "." : " until an administrator lifts the block."),
                exchange);
        body.put("action", action.name());
        if (decision.retryAfterMillis() >= 0) {
            body.put("retryAfterSeconds", RateLimitHeaders.retryAfterSeconds(decision.retryAfterMillis()));
        }
        body.put("abuseScore", decision.abuseScore());
        return write(exchange, HttpStatus.FORBIDDEN, body, h -> RateLimitHeaders.blocked(h, decision));
    }

    Mono<Void> storeUnavailable(ServerWebExchange exchange, Action action, Decision decision) {
        Map<String, Object> body = problem("store-unavailable", "Rate-limit store unavailable",
                HttpStatus.SERVICE_UNAVAILABLE, "The action " + action.name()
                        + " fails closed while the rate-limit store is unreachable.", exchange);
        body.put("action", action.name());
        body.put("retryAfterSeconds", RateLimitHeaders.retryAfterSeconds(decision.retryAfterMillis()));
        return write(exchange, HttpStatus.SERVICE_UNAVAILABLE, body,
                h -> RateLimitHeaders.storeUnavailable(h, decision));
    }

    private static Map<String, Object> problem(String type, String title, HttpStatus status, String detail,
                                               ServerWebExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + type);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", exchange.getRequest().getPath().value());
        return body;
    }

    private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, Map<String, Object> body,
                             Consumer<HttpHeaders> headers) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.accept(response.getHeaders());
        byte[] bytes = json.writeValueAsBytes(body);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
