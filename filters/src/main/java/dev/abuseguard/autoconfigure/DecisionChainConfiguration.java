package dev.abuseguard.autoconfigure;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.decision.DecisionChain;
import dev.abuseguard.decision.DecisionLink;
import dev.abuseguard.decision.DecisionListener;
import dev.abuseguard.decision.SharedBlocks;
import dev.abuseguard.decision.SharedCopy;
import dev.abuseguard.decision.SharedDecisionStore;
import dev.abuseguard.global.GlobalLimits;
import dev.abuseguard.global.GlobalSync;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.overrides.InMemoryUserOverrides;
import dev.abuseguard.overrides.KnownOverrides;
import dev.abuseguard.overrides.OverridingDecisionStore;
import dev.abuseguard.overrides.RedisOverridesCopy;
import dev.abuseguard.overrides.RedisUserOverrides;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.StoreProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.redis.RedisDecisionStore;
import dev.abuseguard.redis.RedisSharedBlocks;
import dev.abuseguard.spike.RedisSpikeClaims;
import dev.abuseguard.spike.SpikeWatch;
import dev.abuseguard.trends.Trends;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
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
        StoreProperties.Redis settings = properties.store().redis();
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
    Tiers abuseGuardTiers(AbuseGuardProperties properties) {
        return new Tiers(properties.tiers(), properties.actions());
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
    GlobalSync abuseGuardGlobalSync(GlobalLimits limits, AbuseGuardProperties properties,
                                    ObjectProvider<LettuceConnection> redis) {
        return GlobalSync.start(limits, redis.getIfAvailable(), properties.globalSyncInterval());
    }

    @Bean(destroyMethod = "close")
    SpikeWatch abuseGuardSpikeWatch(AbuseGuardProperties properties, LivePolicies policies, Clock clock,
                                    AbuseEvents events, ObjectProvider<LettuceConnection> redis) {
        LettuceConnection connection = redis.getIfAvailable();
        return new SpikeWatch(properties.spike(), policies, clock, events,
                connection == null ? SpikeWatch.Claims.ALWAYS : new RedisSpikeClaims(connection));
    }

    /** Told of every decision: the trends' counts and the spike watch. */
    @Bean
    DecisionListeners abuseGuardDecisionListeners(Trends trends, SpikeWatch spikes) {
        return new DecisionListeners(trends.recorder().andThen(spikes));
    }

    /** Configured exempt users, and in memory (no Redis) the admin's overrides: Redis' script reads its own. */
    @Bean
    OverridesLink abuseGuardOverridesLink(AbuseGuardProperties properties, UserOverrides userOverrides, Tiers tiers,
                                          Clock clock) {
        InMemoryUserOverrides local = userOverrides instanceof InMemoryUserOverrides memory ? memory : null;
        return new OverridesLink(OverridingDecisionStore.link(Set.copyOf(properties.exemptUsers()), local, tiers,
                clock));
    }

    /** What the chain decides with on Redis: the store, its breaker, its blocks and the fallback's overrides. */
    @Bean
    SharedDecisions abuseGuardSharedDecisions(ObjectProvider<LettuceConnection> redis, AbuseGuardProperties properties,
                                              LivePolicies policies, CircuitBreaker breaker,
                                              ObjectProvider<BlockInvalidations> invalidations, Tiers tiers,
                                              Clock clock) {
        LettuceConnection connection = redis.getIfAvailable();
        if (connection == null) {
            return SharedDecisions.NONE;
        }
        long maxUsers = properties.store().memory().maxUsers();
        KnownOverrides copied = new KnownOverrides(maxUsers);
        return new SharedDecisions(
                RedisDecisionStore.atRedisTime(connection, policies::rules, tiers::scriptArgument,
                        () -> policies.current().actions().all()),
                breaker,
                new RedisSharedBlocks(connection, invalidations.getObject(), policies, clock),
                OverridingDecisionStore.link(Set.of(), copied, tiers, clock),
                new RedisOverridesCopy(connection, invalidations.getObject(), copied, clock, maxUsers,
                        properties.abuse().blockRetention().toMillis()),
                copied);
    }

    /** The chain in the order of {@link DecisionChain.Link}, one builder step per link that takes a part. */
    @Bean(destroyMethod = "close")
    @Primary
    DecisionChain abuseGuardDecisionStore(InMemoryDecisionStore memory, AbuseEvents events, LivePolicies policies,
                                          ObjectProvider<MeterRegistry> meterRegistry, Clock clock,
                                          DecisionListeners listeners, GlobalLimits globalLimits,
                                          OverridesLink overrides, SharedDecisions shared,
                                          AbuseGuardProperties properties) {
        DecisionChain.Builder chain = DecisionChain.builder(memory, events, policies,
                        meterRegistry.getIfAvailable(SimpleMeterRegistry::new), clock)
                .listener(listeners.all())
                .globalLimits(globalLimits)
                .overrides(overrides.link());
        if (shared != SharedDecisions.NONE) {
            chain.shared(shared.store(), shared.breaker(), shared.blocks())
                    .blocks(properties.store().redis().blockCacheTtl(), properties.abuse().maxTrackedUsers())
                    .fallbackOverrides(shared.fallbackOverrides(), shared.overridesCopy());
        }
        return chain.build();
    }

    /** The chain's and the copy of overrides' gauges, on the application's registry. */
    @Bean
    MeterBinder abuseGuardDecisionChainGauges(DecisionChain chain, SharedDecisions shared) {
        return meters -> {
            Gauge.builder("abuseguard.store.shared.deciding", chain, store -> store.status().storeDeciding() ? 1 : 0)
                    .description("1 while the shared store (Redis) decides, 0 while actions fall back")
                    .tag("store", chain.status().store()).register(meters);
            if (shared.copiedOverrides() != null) {
                Gauge.builder("abuseguard.overrides.copied", shared.copiedOverrides(), KnownOverrides::size)
                        .description("Users whose overrides this instance copied from Redis, for its local fallback")
                        .register(meters);
            }
        };
    }

    /** Every listener of the chain's head in one, a bean of its own type (each listener is a bean too). */
    record DecisionListeners(DecisionListener all) {
    }

    /** The {@link DecisionChain.Link#OVERRIDES} link, a bean of its own type so that it is not any link. */
    record OverridesLink(DecisionLink link) {
    }

    /** The parts of the chain that exist only with Redis; {@link #NONE} without it. */
    record SharedDecisions(SharedDecisionStore store, CircuitBreaker breaker, SharedBlocks blocks,
                           DecisionLink fallbackOverrides, SharedCopy overridesCopy, KnownOverrides copiedOverrides) {
        static final SharedDecisions NONE = new SharedDecisions(null, null, null, null, null, null);
    }
}
