package dev.abuseguard.autoconfigure;

import dev.abuseguard.policy.AbuseGuardProperties;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.IgnoreErrorsBindHandler;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Refuses a key under {@code abuse-guard} that {@link AbuseGuardProperties} does not bind (a typo such as
 * {@code stratgy}, or a key this version does not know), naming it, where it was written and what is known in its
 * place. Boot's own {@link NoUnboundElementsBindHandler} finds such keys (the record is declared with
 * {@code ignoreUnknownFields = false}); this check runs it once before any bean is created, with errors in the
 * values ignored, so that an unknown key is named before the missing or wrong value it causes. What is known in its
 * place is what the binder tried to bind there. A refresh runs the same check ({@link ConfigurationRefreshGuard}).
 *
 * <p>Like Boot, it does not check environment variables and system properties: {@code ABUSE_GUARD_*} cannot be
 * split into a property's elements unambiguously, and a deployment may set such variables for its own scripts.
 */
final class UnknownPropertyCheck implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    private Environment environment;

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
        if (environment instanceof ConfigurableEnvironment configurable) {
            check(configurable);
        }
    }

    /** @throws IllegalStateException naming every unknown key, where it was written and what is known there */
    static void check(ConfigurableEnvironment environment) {
        AttemptedNames attempted = new AttemptedNames();
        NoUnboundElementsBindHandler unbound = new NoUnboundElementsBindHandler(attempted,
                new UnboundElementsSourceFilter());
        try {
            AbuseGuardBinder.of(environment).bind(AbuseGuardBinder.ROOT, Bindable.of(AbuseGuardProperties.class),
                    new KnownEvenIfInvalid(unbound));
        } catch (BindException error) {
            if (!(error.getCause() instanceof UnboundConfigurationPropertiesException unknown)) {
                throw error;
            }
            Set<String> problems = new TreeSet<>();
            for (ConfigurationProperty property : unknown.getUnboundProperties()) {
                problems.add(attempted.whyUnknown(property.getName()) + (property.getOrigin() != null
                        ? " [" + property.getOrigin() + "]" : ""));
            }
            throw new IllegalStateException("unknown configuration propert" + (problems.size() == 1 ? "y" : "ies")
                    + " under " + AbuseGuardBinder.ROOT + ": " + String.join("; ", problems), unknown);
        }
    }

    /**
     * Every name the binder tried, whether the configuration had it or not: each component of each record it
     * bound, each entry of each map. Errors in values are ignored, so that the binder goes on to the end.
     */
    private static final class AttemptedNames extends IgnoreErrorsBindHandler {

        private final Set<ConfigurationPropertyName> names = new HashSet<>();

        @Override
        public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
            names.add(name);
            return super.onStart(name, target, context);
        }

        /** The first element of {@code name} the binder did not try, and what it tried in its place. */
        String whyUnknown(ConfigurationPropertyName name) {
            int known = name.getNumberOfElements() - 1;
            while (known > 1 && !names.contains(name.chop(known))) {
                known--;
            }
            ConfigurationPropertyName parent = name.chop(known);
            String there = names.stream().filter(parent::isParentOf)
                    .map(child -> child.isLastElementIndexed() ? "[" + child.getLastElement(Form.ORIGINAL) + "]"
                            : child.getLastElement(Form.ORIGINAL)).sorted().distinct()
                    .collect(Collectors.joining(", "));
            return written(name, name.getNumberOfElements()) + ": '" + name.getElement(known, Form.ORIGINAL)
                    + "' is not a property of " + written(name, known)
                    + (there.isEmpty() ? " (a value)" : " (known there: " + there + ")");
        }
    }

    /**
     * A key whose value the binder tried and could not use ({@code strategy: token-bukket}) is a known key with a
     * wrong value, which the binding that follows names: it is reported to Boot's check as bound. And the check
     * runs also when the record could not be built (a value missing, say), where Boot checks only at the end of a
     * bind that succeeded.
     */
    private static final class KnownEvenIfInvalid extends AbstractBindHandler {

        KnownEvenIfInvalid(BindHandler parent) {
            super(parent);
        }

        @Override
        public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
                                Exception error) throws Exception {
            Object result = super.onSuccess(name, target, context, super.onFailure(name, target, context, error));
            if (context.getDepth() == 0) {
                super.onFinish(name, target, context, result);
            }
            return result;
        }
    }

    /** The first {@code elements} of the name as they were written (Boot's own form drops '_' from map keys). */
    private static String written(ConfigurationPropertyName name, int elements) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < elements; i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            if (name.isNumericIndex(i) || element.indexOf('.') >= 0) {
                text.append('[').append(element).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(element);
            }
        }
        return text.toString();
    }
}
