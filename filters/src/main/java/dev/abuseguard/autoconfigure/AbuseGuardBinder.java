package dev.abuseguard.autoconfigure;

import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.strategy.StrategyType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A binder over an environment with the placeholders and conversions Boot uses for {@link AbuseGuardProperties} at
 * start-up, for the checks that run before that and for a refresh.
 */
final class AbuseGuardBinder {

    static final String ROOT = "abuse-guard";

    private AbuseGuardBinder() {
    }

    static Binder of(ConfigurableEnvironment environment) {
        ApplicationConversionService conversion = new ApplicationConversionService();
        conversion.addConverter(String.class, StrategyType.class, StrategyType::fromConfigName);
        return new Binder(ConfigurationPropertySources.get(environment),
                new PropertySourcesPlaceholdersResolver(environment), conversion);
    }
}
