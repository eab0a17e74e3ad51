package dev.abuseguard.autoconfigure;

import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.strategy.StrategyType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.validation.Validator;

/**
 * Applies a configuration refresh ({@code POST /actuator/refresh}) to the AbuseGuard policies, or
 * rejects it whole. It runs first among the listeners of the changed environment: it binds and validates
 * the new {@code abuse-guard} settings (refusing a key no record binds) and every route of the library's filters
 * against them; when anything
 * is wrong it puts the previous property sources back and fails the refresh, so neither the routes nor the
 * limits in force change.
 */
final class ConfigurationRefreshGuard implements ApplicationListener<EnvironmentChangeEvent>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationRefreshGuard.class);

    private final ConfigurableEnvironment environment;
    private final LivePolicies policies;
    private final RouteChecks routes;
    private final UnknownPropertyCheck unknownKeys;
    private final Validator validator;
    private Map<String, PropertySource<?>> lastGood;

    ConfigurationRefreshGuard(ConfigurableEnvironment environment, LivePolicies policies,
                              RouteChecks routes, UnknownPropertyCheck unknownKeys, Validator validator) {
        this.environment = environment;
        this.policies = policies;
        this.routes = routes;
        this.unknownKeys = unknownKeys;
        this.validator = validator;
        this.lastGood = sources();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public synchronized void onApplicationEvent(EnvironmentChangeEvent event) {
        try {
            unknownKeys.check(environment);
            Binder binder = binder();
            AbuseGuardProperties candidate = binder.bindOrCreate("abuse-guard",
                    Bindable.of(AbuseGuardProperties.class), new ValidationBindHandler(BindHandler.DEFAULT, validator));
            LivePolicies.Snapshot next = LivePolicies.Snapshot.of(candidate);
            GatewayProperties gateway = binder.bindOrCreate("spring.cloud.gateway.server.webflux",
                    Bindable.of(GatewayProperties.class));
            routes.check(gateway.getRoutes(), next);
            policies.replace(candidate);
            lastGood = sources();
            log.info("event=config_refresh outcome=applied actions={}", next.actions().names());
        } catch (RuntimeException invalid) {
            restore();
            log.error("event=config_refresh outcome=rejected reason={}", LogValue.quoted(rootMessage(invalid)));
            throw new IllegalStateException("configuration refresh rejected, the configuration in force stays: "
                    + rootMessage(invalid), invalid);
        }
    }

    private Binder binder() {
        ApplicationConversionService conversion = new ApplicationConversionService();
        conversion.addConverter(String.class, StrategyType.class, StrategyType::fromConfigName);
        return new Binder(ConfigurationPropertySources.get(environment),
                new PropertySourcesPlaceholdersResolver(environment), conversion);
    }

    private Map<String, PropertySource<?>> sources() {
        Map<String, PropertySource<?>> byName = new LinkedHashMap<>();
        environment.getPropertySources().forEach(source -> byName.put(source.getName(), source));
        return byName;
    }

    /** Puts back every property source the refresh replaced, and takes away the ones it added. */
    private void restore() {
        MutablePropertySources current = environment.getPropertySources();
        for (PropertySource<?> source : sources().values()) {
            PropertySource<?> previous = lastGood.get(source.getName());
            if (previous == null) {
                current.remove(source.getName());
            } else if (previous != source) {
                current.replace(source.getName(), previous);
            }
        }
        lastGood.forEach((name, source) -> {
            if (!current.contains(name)) {
                current.addLast(source);
            }
        });
    }

    private static String rootMessage(Throwable error) {
        StringBuilder message = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && message.indexOf(cause.getMessage()) < 0) {
                message.append(message.length() == 0 ? "" : ": ").append(cause.getMessage());
            }
        }
        return message.toString().replace('"', '\'').replace('\n', ' ');
    }
}
