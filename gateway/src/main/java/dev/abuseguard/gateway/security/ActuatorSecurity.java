package dev.abuseguard.gateway.security;

import dev.abuseguard.admin.web.AdminSecurity;
import dev.abuseguard.policy.AbuseGuardProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The actuator needs the admin bearer token, as the admin API does (the library's chain for {@code /admin/**}),
 * but for {@code /actuator/health}, whose status anyone may read. Routed traffic does not pass through Spring
 * Security at all ({@link OwnEndpointsOnly}).
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurity {

    @Bean
    SecurityWebFilterChain actuatorTokenSecurity(ServerHttpSecurity http, AbuseGuardProperties properties) {
        return AdminSecurity.tokenOnly(http, properties.admin(), ServerWebExchangeMatchers.pathMatchers("/actuator/**"))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyExchange().hasRole("ADMIN"))
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
}
