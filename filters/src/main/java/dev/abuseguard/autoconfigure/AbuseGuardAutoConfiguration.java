package dev.abuseguard.autoconfigure;

import dev.abuseguard.filter.AbuseGuardGatewayFilterFactory;
import dev.abuseguard.filter.UserIdKeyResolver;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.abuse.AbuseEvents;
import dev.abuseguard.abuse.AbuseRegistry;
import dev.abuseguard.abuse.AuditTrail;
import dev.abuseguard.abuse.EventType;
import dev.abuseguard.abuse.WebhookAlerts;
import dev.abuseguard.store.BlockCachingDecisionStore;
import dev.abuseguard.store.BlockInvalidations;
import dev.abuseguard.store.DecisionStore;
import dev.abuseguard.store.InMemoryAbuseRegistry;
import dev.abuseguard.store.InMemoryAuditTrail;
import dev.abuseguard.store.ObservedDecisionStore;
import dev.abuseguard.store.RedisAbuseRegistry;
import dev.abuseguard.store.RedisAuditTrail;
import dev.abuseguard.store.SharedAbuseRegistry;
import dev.abuseguard.strategy.StrategyType;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.web.reactive.function.client.WebClient;
import dev.abuseguard.store.FailoverDecisionStore;
import dev.abuseguard.store.InMemoryDecisionStore;
import dev.abuseguard.store.LettuceConnection;
import dev.abuseguard.store.RedisDecisionStore;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;
import jakarta.validation.Validation;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.core.convert.converter.Converter;
import tools.jackson.databind.json.JsonMapper;

/** Wires the AbuseGuard filter into any Spring Cloud Gateway (server-webflux) application. */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@EnableConfigurationProperties(AbuseGuardProperties.class)
public class AbuseGuardAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock abuseGuardClock() {
        return Clock.systemUTC();
    }

    /** Reads strategy names as operators write them, and names the valid ones when one is wrong. */
    @Bean
    @ConfigurationPropertiesBinding
    static Converter<String, StrategyType> abuseGuardStrategyNames() {
        return StrategyType::fromConfigName;
    }

    @Bean
    LivePolicies abuseGuardLivePolicies(AbuseGuardProperties properties) {
        return new LivePolicies(properties);
    }

    /** Store settings ({@code abuse-guard.store.*}) take effect at start-up; the rest also on refresh. */
    @Bean
    InMemoryDecisionStore inMemoryDecisionStore(AbuseGuardProperties properties, LivePolicies policies, Clock clock) {
        return new InMemoryDecisionStore(clock, policies::rules, properties.store().memory().maxUsers());
    }

    /** Redis, when {@code spring.data.redis.*} describes one and {@code abuse-guard.store.redis.enabled} allows it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DataRedisConnectionDetails.class)
    @ConditionalOnProperty(name = "abuse-guard.store.redis.enabled", havingValue = "true", matchIfMissing = true)
    static class RedisStoreConfiguration {

        @Bean(destroyMethod = "close")
        LettuceConnection abuseGuardRedisConnection(DataRedisConnectionDetails redis, AbuseGuardProperties properties) {
            AbuseGuardProperties.Redis settings = properties.store().redis();
            return RedisEndpoints.connect(redis, settings.connectTimeout(), settings.timeout(),
                    settings.eventLoopLanes() ? ServerEventLoops.forLettuce() : List.of());
        }

        @Bean(destroyMethod = "close")
        BlockInvalidations abuseGuardBlockInvalidations(LettuceConnection connection) {
            return new BlockInvalidations(connection);
        }
    }

    @Bean
    CircuitBreaker abuseGuardRedisBreaker(AbuseGuardProperties properties) {
        AbuseGuardProperties.Redis settings = properties.store().redis();
        return CircuitBreaker.of("abuse-guard-redis", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .build());
    }

    @Bean
    AuditTrail abuseGuardAuditTrail(AbuseGuardProperties properties, LivePolicies policies,
                                    ObjectProvider<LettuceConnection> redis) {
        LettuceConnection connection = redis.getIfAvailable();
        return connection == null ? new InMemoryAuditTrail(properties.audit().maxLength())
                : new RedisAuditTrail(connection, policies, properties.audit().maxLength());
    }

    @Bean
    AbuseRegistry abuseGuardRegistry(LivePolicies policies, InMemoryDecisionStore memory, Clock clock,
                                     ObjectProvider<LettuceConnection> redis,
                                     ObjectProvider<BlockInvalidations> invalidations) {
        InMemoryAbuseRegistry local = new InMemoryAbuseRegistry(memory, policies, clock);
        LettuceConnection connection = redis.getIfAvailable();
        return connection == null ? local : new SharedAbuseRegistry(new RedisAbuseRegistry(connection, policies, clock),
                local, invalidations.getObject());
    }

    @Bean(destroyMethod = "close")
    WebhookAlerts abuseGuardAlerts(AbuseGuardProperties properties, ObjectProvider<WebClient.Builder> web,
                                   ObjectProvider<MeterRegistry> meters) {
        AbuseGuardProperties.Alerts alerts = properties.alerts();
        Retry retry = Retry.of("abuse-guard-alerts", RetryConfig.custom()
                .maxAttempts(alerts.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(alerts.initialBackoff(), 2))
                .build());
        return WebhookAlerts.to(alerts.webhookUrl(), web.getIfAvailable(WebClient::builder).build(), retry,
                alerts.queueSize(), meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    AbuseEvents abuseGuardEvents(AuditTrail trail, WebhookAlerts alerts, Clock clock) {
        return new AbuseEvents(trail, alerts, clock);
    }

    @Bean
    @Primary
    DecisionStore abuseGuardDecisionStore(AbuseGuardProperties properties, LivePolicies policies,
                                          InMemoryDecisionStore memory, ObjectProvider<LettuceConnection> redis,
                                          CircuitBreaker breaker, AbuseEvents events,
                                          ObjectProvider<BlockInvalidations> invalidations,
                                          ObjectProvider<MeterRegistry> meterRegistry, Clock clock) {
        MeterRegistry meters = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
        LettuceConnection connection = redis.getIfAvailable();
        DecisionStore deciding = memory;
        if (connection != null) {
            RedisDecisionStore redisStore = new RedisDecisionStore(connection, policies::rules);
            redisStore.warmUp().subscribe(null, unreachable -> LoggerFactory.getLogger(AbuseGuardAutoConfiguration.class)
                    .info("event=redis_warm_up_failed error=\"{}\" (the breaker takes it from here)", unreachable.toString()));
            BlockCachingDecisionStore nearCache = new BlockCachingDecisionStore(
                    new FailoverDecisionStore(redisStore, memory, breaker, meters),
                    clock, properties.store().redis().blockCacheTtl(), properties.store().memory().maxUsers(),
                    invalidations.getObject().received());
            deciding = nearCache;
            breaker.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.State to = event.getStateTransition().getToState();
                if (to == CircuitBreaker.State.CLOSED) {
                    nearCache.forgetAll(); // invalidations published while Redis was away were lost
                }
                if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.CLOSED) {
                    events.store(to == CircuitBreaker.State.OPEN ? EventType.FAILOVER : EventType.RECOVERY,
                            "breaker " + event.getStateTransition());
                }
            });
        }
        DecisionStore observed = new ObservedDecisionStore(deciding, events, meters, policies, clock);
        Gauge.builder("abuseguard.store.shared.deciding", observed, store -> store.status().storeDeciding() ? 1 : 0)
                .description("1 while the shared store (Redis) decides, 0 while actions fall back")
                .tag("store", observed.status().store()).register(meters);
        return observed;
    }

    /** Fails start-up on a route whose AbuseGuard arguments name an undefined action. */
    @Bean
    SmartInitializingSingleton abuseGuardRouteCheck(GatewayProperties gateway, AbuseGuardGatewayFilterFactory guard,
                                                    LivePolicies policies) {
        return () -> gateway.getRoutes().forEach(route -> route.getFilters().stream()
                .filter(filter -> guard.name().equals(filter.getName()))
                .forEach(filter -> guard.validate(route.getId(), filter.getArgs(), policies.current())));
    }

    @Bean
    AbuseGuardGatewayFilterFactory abuseGuardGatewayFilterFactory(LivePolicies policies, DecisionStore store,
                                                                  ObjectProvider<JsonMapper> json) {
        return new AbuseGuardGatewayFilterFactory(policies, store, json.getIfAvailable(JsonMapper::new));
    }

    /**
     * For routes on Spring Cloud Gateway's own limiter: {@code key-resolver: "#{@userIdKeyResolver}"}.
     * Referenced by name only ({@code defaultCandidate = false}): as a by-type candidate it would sit
     * beside the gateway's {@code principalNameKeyResolver} and make its single-{@code KeyResolver}
     * injection ambiguous, which stops the application at start-up.
     */
    @Bean(defaultCandidate = false)
    @ConditionalOnMissingBean(name = "userIdKeyResolver")
    UserIdKeyResolver userIdKeyResolver(LivePolicies policies) {
        return new UserIdKeyResolver(policies);
    }

    @Bean
    @ConditionalOnClass(EnvironmentChangeEvent.class)
    ConfigurationRefreshGuard abuseGuardConfigurationRefreshGuard(ConfigurableEnvironment environment,
                                                                  LivePolicies policies,
                                                                  AbuseGuardGatewayFilterFactory filters,
                                                                  ObjectProvider<jakarta.validation.Validator> validator) {
        return new ConfigurationRefreshGuard(environment, policies, filters, new SpringValidatorAdapter(
                validator.getIfAvailable(() -> Validation.buildDefaultValidatorFactory().getValidator())));
    }
}
