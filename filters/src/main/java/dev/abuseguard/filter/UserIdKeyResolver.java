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

    private final LivePolicies policies;

    public UserIdKeyResolver(LivePolicies policies) {
        this.policies = policies;
    }

    @Override
    public Mono<String> resolve(ServerWebExchange exchange) {
        AbuseGuardProperties.Identity identity = policies.current().properties().identity();
        try {
            return Mono.just(new IdentityResolver(identity.header(), identity.pattern())
                    .resolve(exchange.getRequest(), IdentityFallback.NONE));
        } catch (BadInput invalid) {
            return Mono.empty();
        }
    }
}
