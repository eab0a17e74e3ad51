package dev.abuseguard.filter;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses (400, problem body) a path a backend could read as another path than the gateway routed: the route's
 * action is chosen from the path, so {@code /auth/LOGIN/} must not reach a login backend under the laxer action
 * of {@code /auth/**}. Before any route is chosen:
 * <ul>
 * <li>spellings that are never canonical are refused outright: empty segments ({@code //}), dot segments (also
 * {@code %2E}), encoded {@code /}, {@code \}, {@code %} and {@code ;}, a raw {@code \} or {@code ;}, encoded
 * control characters, malformed escapes;</li>
 * <li>a path with a trailing slash or capital letters (after decoding) is refused when its plain reading (lower
 * case, no trailing slash) would be routed to another route: case-insensitive and slash-lenient backends read
 * it as that route's path.</li>
 * </ul>
 * Anything else passes untouched; the route check costs a second matching of the routes only for such paths.
 */
public final class PathSpellingFilter implements WebFilter, Ordered {

    static final Pattern NEVER_CANONICAL = Pattern.compile(
            "//|(^|/)(\\.|%2e){1,2}(/|$)|%(2f|5c|25|3b|[01][0-9a-f]|7f)|[\\\\;]|%(?![0-9a-f]{2})",
            Pattern.CASE_INSENSITIVE);

    private final ObjectProvider<RouteLocator> routes;
    private final ProblemResponses problems;

    public PathSpellingFilter(ObjectProvider<RouteLocator> routes, ProblemResponses problems) {
        this.routes = routes;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10; // before routing, before security
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String raw = exchange.getRequest().getURI().getRawPath();
        if (raw == null || raw.isEmpty() || isPlainAlready(raw)) {
            return chain.filter(exchange);
        }
        if (NEVER_CANONICAL.matcher(raw).find()) {
            return refuse(exchange, "The path " + raw + " is not in canonical form (no empty or dot segments, no "
                    + "encoded '/', '\\', '%', ';' or control characters).");
        }
        String decoded = UriUtils.decode(raw, StandardCharsets.UTF_8);
        String plain = plainReading(decoded);
        if (plain.equals(decoded)) {
            return chain.filter(exchange);
        }
        RouteLocator locator = routes.getIfAvailable();
        if (locator == null) {
            return chain.filter(exchange);
        }
        ServerHttpRequest plainRequest = exchange.getRequest().mutate()
                .path(UriUtils.encodePath(plain, StandardCharsets.UTF_8)).build();
        return Mono.zip(firstRoute(locator, new Probe(exchange, exchange.getRequest())),
                        firstRoute(locator, new Probe(exchange, plainRequest)))
                .flatMap(both -> !both.getT2().isEmpty() && !Objects.equals(both.getT1(), both.getT2())
                        ? refuse(exchange, "The path " + raw + " is a spelling of " + plain + ", which belongs to "
                                + "another route; send it as " + plain + ".")
                        : chain.filter(exchange));
    }

    /**
     * True when neither check can refuse the path: no escape, backslash, semicolon, empty or dot segment, capital
     * letter, space, control or non-ASCII character, no trailing slash. Most requests' paths are so, and pass after
     * one scan, without the pattern, the decoding and the lower-casing.
     */
    static boolean isPlainAlready(String raw) {
        int length = raw.length();
        if (raw.charAt(0) == '.' || (length > 1 && raw.charAt(length - 1) == '/')) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == '\\' || c == ';' || (c >= 'A' && c <= 'Z') || c < 0x21 || c > 0x7e
                    || (c == '/' && i + 1 < length && (raw.charAt(i + 1) == '/' || raw.charAt(i + 1) == '.'))) {
                return false;
            }
        }
        return true;
    }

    /** Lower case and without trailing slashes: how lenient backends read a path. */
    static String plainReading(String decoded) {
        String plain = decoded.toLowerCase(Locale.ROOT);
        int end = plain.length();
        while (end > 1 && plain.charAt(end - 1) == '/') {
            end--;
        }
        return plain.substring(0, end);
    }

    /** The id of the first route whose predicates take the request, or "" for none. */
    private static Mono<String> firstRoute(RouteLocator locator, ServerWebExchange probe) {
        return locator.getRoutes()
                .concatMap(route -> Flux.from(route.getPredicate().apply(probe))
                        .filter(Boolean::booleanValue).map(matched -> route).take(1))
                .next().map(Route::getId).defaultIfEmpty("");
    }

    private Mono<Void> refuse(ServerWebExchange exchange, String detail) {
        return problems.refuse(exchange, HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    }

    /** The exchange with another request and attributes of its own: predicates record what they matched. */
    private static final class Probe extends ServerWebExchangeDecorator {
        private final ServerHttpRequest request;
        private final Map<String, Object> attributes;

        Probe(ServerWebExchange exchange, ServerHttpRequest request) {
            super(exchange);
            this.request = request;
            this.attributes = new HashMap<>(exchange.getAttributes());
        }

        @Override
        public ServerHttpRequest getRequest() {
            return request;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }
    }
}
