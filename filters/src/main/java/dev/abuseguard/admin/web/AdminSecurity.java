package dev.abuseguard.admin.web;

import dev.abuseguard.policy.AbuseGuardProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * {@code /admin/**} needs the admin bearer token, but for the dashboard page itself (the token is typed into it).
 * A chain of its own, first in order, matching nothing else: the application's own chains keep everything else.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurity {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurity.class);

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain abuseGuardAdminSecurity(ServerHttpSecurity http, AbuseGuardProperties properties) {
        if (properties.admin().token().isEmpty()) {
            log.warn("event=admin_token_missing detail=\"abuse-guard.admin.token (ABUSE_GUARD_ADMIN_TOKEN) is not "
                    + "set: every admin API call will be refused\"");
        }
        return tokenOnly(http, properties.admin(), ServerWebExchangeMatchers.pathMatchers("/admin/**", "/admin"))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/admin", "/admin/").permitAll()
                        .anyExchange().hasRole("ADMIN"))
                .build();
    }

    /**
     * The admin token's chain for {@code matcher}: a bearer token on every call, no session, no login form, a
     * 401 problem body for a missing or wrong token. The application's actuator can be secured the same way.
     */
    public static ServerHttpSecurity tokenOnly(ServerHttpSecurity http, AbuseGuardProperties.Admin admin,
                                               ServerWebExchangeMatcher matcher) {
        AdminTokenAuthentication tokens = new AdminTokenAuthentication(admin);
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(tokens);
        bearer.setServerAuthenticationConverter(tokens);
        bearer.setAuthenticationFailureHandler((exchange, error) -> AdminProblems.unauthorized(exchange.getExchange()));
        return http
                .securityMatcher(matcher)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                // no web session, so a refused call stores nothing (the default would keep a session per refused
                // request in memory, and hop to other threads to make its id)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, denied) -> AdminProblems.unauthorized(exchange)));
    }
}
