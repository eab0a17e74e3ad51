package dev.abuseguard.autoconfigure;

import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
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
 * the new {@code abuse-guard} settings (refusing a key {@link AbuseGuardProperties} does not bind) and every route
 * of the library's filters against them; when anything is wrong it puts the previous property sources back and
 * fails the refresh, so neither the routes nor the limits in force change. It applies {@link
 * AbuseGuardProperties#live()}; settings read at start-up that the refresh changes are named in a warning, and
 * take effect when the instance restarts.
 */
final class ConfigurationRefreshGuard implements ApplicationListener<EnvironmentChangeEvent>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationRefreshGuard.class);

    private final ConfigurableEnvironment environment;
    private final LivePolicies policies;
    private final RouteChecks routes;
    private final AbuseGuardProperties startUp;
    private final Validator validator;
    private Map<String, PropertySource<?>> lastGood;

    ConfigurationRefreshGuard(ConfigurableEnvironment environment, LivePolicies policies,
                              RouteChecks routes, AbuseGuardProperties startUp, Validator validator) {
        this.environment = environment;
        this.policies = policies;
        this.routes = routes;
        this.startUp = startUp;
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
            UnknownPropertyCheck.check(environment);
            Binder binder = AbuseGuardBinder.of(environment);
            AbuseGuardProperties candidate = binder.bindOrCreate(AbuseGuardBinder.ROOT,
                    Bindable.of(AbuseGuardProperties.class), new ValidationBindHandler(BindHandler.DEFAULT, validator));
            LivePolicies.Snapshot next = LivePolicies.Snapshot.of(candidate);
            GatewayProperties gateway = binder.bindOrCreate("spring.cloud.gateway.server.webflux",
                    Bindable.of(GatewayProperties.class));
            routes.check(gateway.getRoutes(), next);
            policies.replace(candidate);
            lastGood = sources();
            List<String> notApplied = startUp.startUpChangesIn(candidate);
            if (notApplied.isEmpty()) {
                log.info("event=config_refresh outcome=applied actions={}", next.actions().names());
            } else {
                log.warn("event=config_refresh outcome=applied actions={} read_at_start_up_unchanged={}",
                        next.actions().names(), notApplied);
            }
        } catch (RuntimeException invalid) {
            restore();
            log.error("event=config_refresh outcome=rejected reason={}", LogValue.quoted(rootMessage(invalid)));
            throw new IllegalStateException("configuration refresh rejected, the configuration in force stays: "
                    + rootMessage(invalid), invalid);
        }
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
