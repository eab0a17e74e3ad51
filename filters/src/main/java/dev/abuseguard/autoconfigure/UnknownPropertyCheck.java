package dev.abuseguard.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses a key under {@code abuse-guard} that no configuration record binds (a typo such as {@code stratgy}, or a
 * key this version does not know), which Spring would otherwise ignore in silence. The known names come from every
 * {@code @ConfigurationProperties} record of the context whose prefix is {@code abuse-guard} or below it, so a
 * property added to any of them is known without a list to keep. It runs before any bean is created, so an unknown
 * key is named before the values beside it are bound; a refresh is checked by {@link ConfigurationRefreshGuard}.
 *
 * <p>Environment variables are not checked: {@code ABUSE_GUARD_*} cannot be split into a property's elements
 * unambiguously, and a deployment may set such variables for its own scripts.
 */
final class UnknownPropertyCheck implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    static final String ROOT = "abuse-guard";
    private static final ConfigurationPropertyName ROOT_NAME = ConfigurationPropertyName.of(ROOT);

    private Environment environment;
    private volatile KnownPropertyNames known;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        KnownPropertyNames names = new KnownPropertyNames();
        for (String bean : beanFactory.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = beanFactory.getType(bean, false);
            } catch (BeansException unresolvable) {
                continue; // not a configuration record: those have a plain class
            }
            if (type == null) {
                continue;
            }
            MergedAnnotation<ConfigurationProperties> properties = MergedAnnotations.from(type)
                    .get(ConfigurationProperties.class);
            if (properties.isPresent()) {
                String prefix = properties.getString("prefix").isEmpty() ? properties.getString("value")
                        : properties.getString("prefix");
                if (prefix.equals(ROOT) || prefix.startsWith(ROOT + ".")) {
                    names.add(prefix, type);
                }
            }
        }
        known = names;
        if (environment instanceof ConfigurableEnvironment configurable) {
            check(configurable);
        }
    }

    /** @throws IllegalStateException naming every unknown key, where it was written and what is known there */
    void check(ConfigurableEnvironment environment) {
        KnownPropertyNames names = known;
        if (names == null) {
            return;
        }
        Set<String> problems = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable) || isEnvironmentVariables(source)) {
                continue;
            }
            iterable.stream().filter(name -> ROOT_NAME.isAncestorOf(name) || ROOT_NAME.equals(name)).forEach(name -> {
                String why = names.unknown(name);
                if (why != null) {
                    ConfigurationProperty property = iterable.getConfigurationProperty(name);
                    problems.add(why + (property != null && property.getOrigin() != null
                            ? " [" + property.getOrigin() + "]" : ""));
                }
            });
        }
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>(problems);
            throw new IllegalStateException("unknown configuration propert" + (lines.size() == 1 ? "y" : "ies")
                    + " under " + ROOT + ": " + String.join("; ", lines));
        }
    }

    private static boolean isEnvironmentVariables(ConfigurationPropertySource source) {
        return source.getUnderlyingSource() instanceof PropertySource<?> underlying
                && StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(underlying.getName());
    }
}
