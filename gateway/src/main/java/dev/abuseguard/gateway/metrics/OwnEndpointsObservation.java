package dev.abuseguard.gateway.metrics;

import dev.abuseguard.gateway.security.OwnEndpoints;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * {@code http.server.requests} for the gateway's own endpoints ({@code /admin/**}, {@code /actuator/**}) only.
 *
 * <p>A proxied request is the hot path: timing it costs a long-task timer, a timer and their tags on every
 * request, several per cent of the gateway's CPU. What proxied traffic needs is counted by the
 * {@code abuseguard_decisions_total} counter already; an operator who wants per-route latency turns on the
 * gateway's own per-route timers ({@code spring.cloud.gateway.server.webflux.metrics.enabled: true}).
 */
@Configuration(proxyBeanMethods = false)
class OwnEndpointsObservation {

    @Bean
    ObservationPredicate onlyOwnEndpointsAreTimed() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server)
                || OwnEndpoints.contains(server.getCarrier());
    }
}
