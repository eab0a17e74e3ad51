package dev.abuseguard.gateway.security;

import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.webflux.actuate.endpoint.web.ControllerEndpointHandlerMapping;
import org.springframework.boot.webflux.actuate.endpoint.web.WebFluxEndpointHandlerMapping;
import org.springframework.boot.webflux.autoconfigure.WebFluxRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Keeps the machinery of the gateway's own endpoints off proxied requests. Spring Security's filter chain (its
 * firewall, which walks every header, and its matchers, which format a debug message per request whether or
 * not debug is on) and the admin controllers' request mapping (which tries every mapping, then explains the
 * miss) would otherwise run for every proxied request before the gateway's own route lookup.
 *
 * <p>A proxied request still gets the checks that matter for it: {@code PathSpellingFilter} refuses every
 * path spelling the firewall refuses, before any of this, and a request with a method other than the standard
 * ones goes through the whole security chain, whose firewall refuses it.
 */
@Configuration(proxyBeanMethods = false)
class OwnEndpointsOnly {

    private static final Set<HttpMethod> STANDARD_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    @Bean
    static BeanPostProcessor securityForOwnEndpointsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof WebFilterChainProxy chains && !(bean instanceof OwnEndpointsSecurity)
                        ? new OwnEndpointsSecurity(chains) : bean;
            }
        };
    }

    /**
     * The actuator's endpoint mappings come before the gateway's routes (order -100) and matched every proxied
     * path against each endpoint's; they are asked for the gateway's own endpoints only.
     */
    @Bean
    static BeanPostProcessor actuatorMappingForOwnEndpointsOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof WebFluxEndpointHandlerMapping || bean instanceof ControllerEndpointHandlerMapping
                        ? new OwnEndpointsHandlerMapping((AbstractHandlerMapping) bean) : bean;
            }
        };
    }

    @Bean
    WebFluxRegistrations requestMappingForOwnEndpointsOnly() {
        return new WebFluxRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new OwnEndpointsRequestMapping();
            }
        };
    }

    /** The security filter chains, entered by the gateway's own endpoints and by unusual methods only. */
    static final class OwnEndpointsSecurity extends WebFilterChainProxy {

        private final WebFilterChainProxy chains;

        OwnEndpointsSecurity(WebFilterChainProxy chains) {
            super(List.of());
            this.chains = chains;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            return OwnEndpoints.contains(exchange.getRequest())
                    || !STANDARD_METHODS.contains(exchange.getRequest().getMethod())
                    ? chains.filter(exchange, chain) : chain.filter(exchange);
        }
    }

    /** The admin controllers' mappings, looked up for the gateway's own endpoints only. */
    static final class OwnEndpointsRequestMapping extends RequestMappingHandlerMapping {

        @Override
        public Mono<HandlerMethod> getHandlerInternal(ServerWebExchange exchange) {
            return OwnEndpoints.contains(exchange.getRequest()) ? super.getHandlerInternal(exchange) : Mono.empty();
        }
    }

    /** A handler mapping, in its place in the order, that answers for the gateway's own endpoints only. */
    static final class OwnEndpointsHandlerMapping implements HandlerMapping, Ordered {

        private final AbstractHandlerMapping mapping;

        OwnEndpointsHandlerMapping(AbstractHandlerMapping mapping) {
            this.mapping = mapping;
        }

        @Override
        public Mono<Object> getHandler(ServerWebExchange exchange) {
            return OwnEndpoints.contains(exchange.getRequest()) ? mapping.getHandler(exchange) : Mono.empty();
        }

        @Override
        public int getOrder() {
            return mapping.getOrder();
        }
    }
}
