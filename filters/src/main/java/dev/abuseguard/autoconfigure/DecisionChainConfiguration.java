package dev.abuseguard.autoconfigure;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.decision.DecisionChain;
import dev.abuseguard.global.GlobalLimits;
import dev.abuseguard.global.GlobalSync;
import dev.abuseguard.global.GlobalSyncProperties;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.overrides.InMemoryUserOverrides;
import dev.abuseguard.overrides.KnownOverrides;
import dev.abuseguard.overrides.OverridesProperties;
import dev.abuseguard.overrides.OverridingDecisionStore;
import dev.abuseguard.overrides.RedisOverridesCopy;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.redis.RedisSharedBlocks;
import dev.abuseguard.spike.RedisSpikeClaims;
import dev.abuseguard.spike.SpikeProperties;
import dev.abuseguard.spike.SpikeWatch;
import dev.abuseguard.trends.TrendRecorder;
import dev.abuseguard.trends.Trends;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The decision chain and what it is made of: the breaker in front of Redis, the operator's overrides and tiers,
 * the global limits and their sync, and the listeners told of every decision (trends, spikes).
 */
@Configuration(proxyBeanMethods = false)
class DecisionChainConfiguration {

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
    Tiers abuseGuardTiers(OverridesProperties overrides, AbuseGuardProperties properties) {
        return new Tiers(overrides.tiers(), properties.actions());
    }

    /** Exempt users, own limits, tiers: in Redis beside the user's other keys, else in this instance's memory. */
    @Bean
    UserOverrides abuseGuardUserOverrides(AbuseGuardProperties properties, ObjectProvider<LettuceConnection> redis,
                                          Clock clock) {
        LettuceConnection connection = redis.getIfAvailable();
        return connection == null
                ? new InMemoryUserOverrides(clock, properties.store().memory().maxUsers(),
                        properties.abuse().blockRetention())
                : new RedisUserOverrides(connection, clock, properties.abuse().blockRetention(),
                        properties.store().memory().maxUsers());
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
            fallbackOverrides(chain, connection, invalidations.getObject(), properties, tiers, clock, meters);
        }
        DecisionChain built = chain.build();
        Gauge.builder("abuseguard.store.shared.deciding", built, store -> store.status().storeDeciding() ? 1 : 0)
                .description("1 while the shared store (Redis) decides, 0 while actions fall back")
                .tag("store", built.status().store()).register(meters);
        return built;
    }

    /**
     * The local fallback of Redis decides by a copy of Redis' overrides, so an exempt user stays exempt and an
     * overridden one keeps their limit through an outage; bounded like the local store.
     */
    private static void fallbackOverrides(DecisionChain.Builder chain, LettuceConnection connection,
                                          BlockInvalidations invalidations, AbuseGuardProperties properties,
                                          Tiers tiers, Clock clock, MeterRegistry meters) {
        long maxUsers = properties.store().memory().maxUsers();
        KnownOverrides known = new KnownOverrides(maxUsers);
        chain.fallbackOverrides(store -> new OverridingDecisionStore(store, Set.of(), known, tiers, clock),
                new RedisOverridesCopy(connection, invalidations, known, clock, maxUsers));
        Gauge.builder("abuseguard.overrides.copied", known, KnownOverrides::size)
                .description("Users whose overrides this instance copied from Redis, for its local fallback")
                .register(meters);
    }
}
