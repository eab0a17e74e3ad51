package dev.abuseguard.autoconfigure;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.AuditTrail;
import dev.abuseguard.audit.InMemoryAuditTrail;
import dev.abuseguard.audit.RedisAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.decision.DecisionChain;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.discord.DiscordInteractionsGatewayFilterFactory;
import dev.abuseguard.filter.AbuseGuardGatewayFilterFactory;
import dev.abuseguard.filter.PathSpellingFilter;
import dev.abuseguard.filter.ProblemResponses;
import dev.abuseguard.filter.UserIdKeyResolver;
import dev.abuseguard.global.GlobalLimits;
import dev.abuseguard.global.GlobalSync;
import dev.abuseguard.global.GlobalSyncProperties;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.lettuce.RedisEndpoints;
import dev.abuseguard.lettuce.ServerEventLoops;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.overrides.InMemoryUserOverrides;
import dev.abuseguard.overrides.OverridesProperties;
import dev.abuseguard.overrides.OverridingDecisionStore;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.redis.RedisSharedBlocks;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.registry.InMemoryAbuseRegistry;
import dev.abuseguard.registry.RedisAbuseRegistry;
import dev.abuseguard.registry.SharedAbuseRegistry;
import dev.abuseguard.spike.RedisSpikeClaims;
import dev.abuseguard.spike.SpikeProperties;
import dev.abuseguard.spike.SpikeWatch;
import dev.abuseguard.strategy.StrategyType;
import dev.abuseguard.trends.TrendRecorder;
import dev.abuseguard.trends.Trends;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.List;
import java.util.Set;
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
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/** Wires the AbuseGuard filter into any Spring Cloud Gateway (server-webflux) application. */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@EnableConfigurationProperties({AbuseGuardProperties.class, OverridesProperties.class, GlobalSyncProperties.class,
        SpikeProperties.class})
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

    /** Stops start-up on a key under {@code abuse-guard} that no configuration record binds (see the class). */
    @Bean
    static UnknownPropertyCheck abuseGuardUnknownPropertyCheck() {
        return new UnknownPropertyCheck();
    }

    @Bean
    LivePolicies abuseGuardLivePolicies(AbuseGuardProperties properties) {
        return new LivePolicies(properties);
    }

    /** Store settings ({@code abuse-guard.store.*}) take effect at start-up; the rest also on refresh. */
    @Bean
    InMemoryDecisionStore inMemoryDecisionStore(AbuseGuardProperties properties, LivePolicies policies, Clock clock) {
        return new InMemoryDecisionStore(clock, policies::rules, properties.store().memory().maxUsers(),
                properties.abuse().maxTrackedUsers());
    }

    /** Redis, when {@code spring.data.redis.*} describes one and {@code abuse-guard.store.redis.enabled} allows it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DataRedisConnectionDetails.class)
    @ConditionalOnProperty(name = "abuse-guard.store.redis.enabled", havingValue = "true", matchIfMissing = true)
    static class RedisStoreConfiguration {

        @Bean(destroyMethod = "close")
        LettuceConnection abuseGuardRedisConnection(DataRedisConnectionDetails redis, AbuseGuardProperties properties,
                                                    ObjectProvider<DataRedisProperties> boot, Environment environment) {
            AbuseGuardProperties.Redis settings = properties.store().redis();
            DataRedisProperties data = boot.getIfAvailable(DataRedisProperties::new);
            return RedisEndpoints.connect(redis, RedisSettings.urlUsesSsl(data), data.getSsl().getBundle(),
                    RedisSettings.clusterRefresh(environment), settings.connectTimeout(), settings.timeout(),
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
                alerts.queueSize(), alerts.timeout(), meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Refuses path spellings a backend could read as another route's path (see the class). */
    @Bean
    PathSpellingFilter abuseGuardPathSpelling(ObjectProvider<RouteLocator> routes, ObjectProvider<JsonMapper> json) {
        return new PathSpellingFilter(routes, new ProblemResponses(json.getIfAvailable(JsonMapper::new)));
    }

    @Bean
    AbuseEvents abuseGuardEvents(AuditTrail trail, WebhookAlerts alerts, Clock clock) {
        return new AbuseEvents(trail, alerts, clock);
    }

    @Bean
    Tiers abuseGuardTiers(OverridesProperties overrides, AbuseGuardProperties properties) {
        return new Tiers(overrides.tiers(), properties.actions().keySet());
    }

    /** Exempt users, own limits, tiers: in Redis beside the user's other keys, else in this instance's memory. */
    @Bean
    UserOverrides abuseGuardUserOverrides(AbuseGuardProperties properties, ObjectProvider<LettuceConnection> redis,
                                          Clock clock) {
        LettuceConnection connection = redis.getIfAvailable();
        return connection == null
                ? new InMemoryUserOverrides(clock, properties.store().memory().maxUsers(),
                        properties.abuse().blockRetention())
                : new RedisUserOverrides(connection, clock, properties.abuse().blockRetention());
    }

    @Bean(destroyMethod = "close")
    Trends abuseGuardTrends(AbuseGuardProperties properties, ObjectProvider<LettuceConnection> redis, Clock clock) {
        return Trends.start(properties.trends(), redis.getIfAvailable(), clock);
    }

    /** Global limits per action: counted here, reconciled through Redis every global-sync-interval. */
    @Bean
    GlobalLimits abuseGuardGlobalLimits(Clock clock, LivePolicies policies) {
        return new GlobalLimits(clock, policies);
    }

    @Bean(destroyMethod = "close")
    GlobalSync abuseGuardGlobalSync(GlobalLimits limits, GlobalSyncProperties settings,
                                    ObjectProvider<LettuceConnection> redis) {
        return GlobalSync.start(limits, redis.getIfAvailable(), settings.globalSyncInterval());
    }

    @Bean(destroyMethod = "close")
    SpikeWatch abuseGuardSpikeWatch(SpikeProperties settings, LivePolicies policies, Clock clock, AbuseEvents events,
                                    ObjectProvider<LettuceConnection> redis) {
        LettuceConnection connection = redis.getIfAvailable();
        return new SpikeWatch(settings, policies, clock, events,
                connection == null ? SpikeWatch.Claims.ALWAYS : new RedisSpikeClaims(connection));
    }

    @Bean(destroyMethod = "close")
    @Primary
    DecisionChain abuseGuardDecisionStore(AbuseGuardProperties properties, LivePolicies policies,
                                          InMemoryDecisionStore memory, ObjectProvider<LettuceConnection> redis,
                                          CircuitBreaker breaker, AbuseEvents events,
                                          ObjectProvider<BlockInvalidations> invalidations,
                                          ObjectProvider<MeterRegistry> meterRegistry, Clock clock,
                                          OverridesProperties overrides, Tiers tiers, UserOverrides userOverrides,
                                          Trends trends, GlobalLimits globalLimits, SpikeWatch spikes) {
        MeterRegistry meters = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
        TrendRecorder recorder = trends.recorder();
        DecisionChain.Builder chain = DecisionChain.builder(memory, events, policies, meters, clock)
                .listener((user, action, decision) -> {
                    recorder.decided(user, action, decision);
                    spikes.decided(user, action, decision);
                });
        InMemoryUserOverrides local = userOverrides instanceof InMemoryUserOverrides m ? m : null;
        // the global limits first: a request over one is answered before any store is asked
        chain.overrides(store -> globalLimits.around(new OverridingDecisionStore(store,
                Set.copyOf(overrides.exemptUsers()), local, tiers, clock)));
        LettuceConnection connection = redis.getIfAvailable();
        if (connection != null) {
            chain.shared(new RedisDecisionStore(connection, policies::rules, null, tiers::scriptArgument,
                            () -> policies.current().actions().all()), breaker,
                            new RedisSharedBlocks(connection, invalidations.getObject(), policies, clock))
                    .blocks(properties.store().redis().blockCacheTtl(), properties.abuse().maxTrackedUsers());
        }
        DecisionChain built = chain.build();
        Gauge.builder("abuseguard.store.shared.deciding", built, store -> store.status().storeDeciding() ? 1 : 0)
                .description("1 while the shared store (Redis) decides, 0 while actions fall back")
                .tag("store", built.status().store()).register(meters);
        return built;
    }

    @Bean
    RouteChecks abuseGuardRouteChecks(AbuseGuardGatewayFilterFactory guard,
                                      DiscordInteractionsGatewayFilterFactory discord) {
        return new RouteChecks(guard, discord);
    }

    /**
     * Fails start-up on a route the configuration cannot serve: AbuseGuard arguments naming an undefined
     * action, an interactions route without its key or with an action that delays too long.
     */
    @Bean
    SmartInitializingSingleton abuseGuardRouteCheck(GatewayProperties gateway, RouteChecks checks,
                                                    LivePolicies policies) {
        return () -> checks.check(gateway.getRoutes(), policies.current());
    }

    @Bean
    AbuseGuardGatewayFilterFactory abuseGuardGatewayFilterFactory(LivePolicies policies, DecisionStore store,
                                                                  ObjectProvider<JsonMapper> json, Clock clock) {
        return new AbuseGuardGatewayFilterFactory(policies, store, json.getIfAvailable(JsonMapper::new), clock);
    }

    /** The interactions endpoint of a Discord bot; decides through the same chain as AbuseGuard. */
    @Bean
    DiscordInteractionsGatewayFilterFactory discordInteractionsGatewayFilterFactory(
            LivePolicies policies, DecisionStore store, ObjectProvider<JsonMapper> json, Clock clock,
            Environment environment) {
        return new DiscordInteractionsGatewayFilterFactory(policies, store, json.getIfAvailable(JsonMapper::new), clock,
                () -> environment.getProperty(DiscordInteractionsGatewayFilterFactory.PUBLIC_KEY_VARIABLE));
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
                                                                  RouteChecks routes,
                                                                  UnknownPropertyCheck unknownKeys,
                                                                  ObjectProvider<Validator> validator) {
        return new ConfigurationRefreshGuard(environment, policies, routes, unknownKeys, new SpringValidatorAdapter(
                validator.getIfAvailable(() -> Validation.buildDefaultValidatorFactory().getValidator())));
    }
}
