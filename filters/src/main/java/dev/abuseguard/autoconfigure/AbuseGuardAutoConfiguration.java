package dev.abuseguard.autoconfigure;

import dev.abuseguard.admin.UserActions;
import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.AuditTrail;
import dev.abuseguard.audit.InMemoryAuditTrail;
import dev.abuseguard.audit.RedisAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.discord.DiscordInteractionsGatewayFilterFactory;
import dev.abuseguard.discord.InteractionReplays;
import dev.abuseguard.discord.LocalInteractionReplays;
import dev.abuseguard.discord.RedisInteractionReplays;
import dev.abuseguard.filter.AbuseGuardGatewayFilterFactory;
import dev.abuseguard.filter.PathSpellingFilter;
import dev.abuseguard.filter.ProblemResponses;
import dev.abuseguard.filter.UserIdKeyResolver;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.registry.InMemoryAbuseRegistry;
import dev.abuseguard.registry.RedisAbuseRegistry;
import dev.abuseguard.registry.SharedAbuseRegistry;
import dev.abuseguard.strategy.StrategyType;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the AbuseGuard filter into any Spring Cloud Gateway (server-webflux) application: the policies, the
 * filters, the audit trail and alerts here; the Redis connection ({@link RedisStoreConfiguration}) and the
 * decision chain ({@link DecisionChainConfiguration}) in their own classes.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@EnableConfigurationProperties(AbuseGuardProperties.class)
@Import({RedisStoreConfiguration.class, DecisionChainConfiguration.class})
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

    /** Stops start-up on a key under {@code abuse-guard} that {@link AbuseGuardProperties} does not bind. */
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

    /** What an operator does to one user, the same through the admin API and a moderator's command. */
    @Bean
    UserActions abuseGuardUserActions(AbuseRegistry registry, UserOverrides overrides, Tiers tiers,
                                      AbuseEvents events, LivePolicies policies, Clock clock) {
        return new UserActions(registry, overrides, tiers, events, policies, clock);
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
            LivePolicies policies, AbuseGuardProperties properties, DecisionStore store,
            ObjectProvider<JsonMapper> json, Clock clock, Environment environment,
            ObjectProvider<LettuceConnection> redis, UserActions userActions) {
        InteractionReplays local = new LocalInteractionReplays(clock);
        LettuceConnection connection = redis.getIfAvailable();
        InteractionReplays replays = connection == null ? local : new RedisInteractionReplays(connection, local,
                properties.store().redis().timeout());
        return new DiscordInteractionsGatewayFilterFactory(policies, store, json.getIfAvailable(JsonMapper::new), clock,
                () -> environment.getProperty(DiscordInteractionsGatewayFilterFactory.PUBLIC_KEY_VARIABLE), replays,
                userActions);
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
                                                                  AbuseGuardProperties startUp,
                                                                  ObjectProvider<Validator> validator) {
        return new ConfigurationRefreshGuard(environment, policies, routes, startUp, new SpringValidatorAdapter(
                validator.getIfAvailable(() -> Validation.buildDefaultValidatorFactory().getValidator())));
    }
}
