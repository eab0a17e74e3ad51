package dev.abuseguard.gateway.admin;

import dev.abuseguard.policy.AbuseGuardProperties;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Security for the gateway's own endpoints only: {@code /admin/api/**} and the actuator (but health) need
 * the admin bearer token. Routed traffic does not pass through Spring Security at all.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    @Bean
    SecurityWebFilterChain adminSecurity(ServerHttpSecurity http, AbuseGuardProperties properties) {
        AdminTokenAuthentication tokens = new AdminTokenAuthentication(properties.admin());
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(tokens);
        bearer.setServerAuthenticationConverter(tokens);
        bearer.setAuthenticationFailureHandler((exchange, error) -> unauthorized(exchange.getExchange()));
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin/**", "/actuator/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                // a bearer token on every call: no web session, so a refused call stores nothing (the default
                // would keep a session per refused request in memory, and hop to other threads to make its id)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/admin", "/admin/",
                                "/admin/index.html").permitAll()
                        .anyExchange().hasRole("ADMIN"))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, denied) -> unauthorized(exchange)))
                .build();
    }

    /**
     * What enters the security chains ({@link OwnEndpointsOnly}: the gateway's own endpoints, and requests with
     * an unusual method) is checked by Spring Security's strict firewall. Only the gateway's own endpoints get the
     * firewall's wrapped headers, which re-validate every header on every read.
     */
    @Bean
    ServerWebExchangeFirewall firewall() {
        StrictServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();
        return exchange -> strict.getFirewalledExchange(exchange)
                .map(checked -> OwnEndpoints.contains(exchange.getRequest()) ? checked : exchange);
    }

    /**
     * Spring Security observes its filter chain on every request once an observation registry exists, also
     * for proxied requests that no chain here matches; the admin calls are timed as HTTP requests already.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ("{\"type\":\"urn:abuse-guard:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"This endpoint needs Authorization: Bearer <abuse-guard.admin.token>.\",\"instance\":\""
                + exchange.getRequest().getPath().value().replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
