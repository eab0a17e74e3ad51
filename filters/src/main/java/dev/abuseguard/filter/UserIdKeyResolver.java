package dev.abuseguard.filter;

import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The validated user id as a key for Spring Cloud Gateway's own {@code RequestRateLimiter}
 * ({@code key-resolver: "#{@userIdKeyResolver}"}); an invalid or missing id gives no key, which that
 * filter refuses.
 */
public final class UserIdKeyResolver implements KeyResolver {

    /** The identity check of one configuration, built once (its pattern is compiled once). */
    private record ForConfiguration(LivePolicies.Snapshot configuration, IdentityResolver identity) {
    }

    private final LivePolicies policies;
    private volatile ForConfiguration current;

    public UserIdKeyResolver(LivePolicies policies) {
        this.policies = policies;
    }

    @Override
    public Mono<String> resolve(ServerWebExchange exchange) {
        try {
            return Mono.just(identity().resolve(exchange.getRequest(), IdentityFallback.NONE));
        } catch (BadInput invalid) {
            return Mono.empty();
        }
    }

    private IdentityResolver identity() {
        LivePolicies.Snapshot inForce = policies.current();
        ForConfiguration cached = current;
        if (cached == null || cached.configuration() != inForce) {
            AbuseGuardProperties.Identity identity = inForce.settings().identity();
            cached = new ForConfiguration(inForce, new IdentityResolver(identity.header(), identity.pattern()));
            current = cached;
        }
        return cached.identity();
    }
}
