package dev.abuseguard.testsupport;

import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LivePolicies;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Configuration bound the way Spring Boot binds routes.yml, so every default applies as in the gateway. */
public final class TestPolicies {

    private TestPolicies() {
    }

    /** @param properties keys below {@code abuse-guard.}, e.g. {@code actions.login.limit} */
    public static LivePolicies of(Map<String, String> properties) {
        return new LivePolicies(properties(properties));
    }

    /** @param properties keys below {@code abuse-guard.}, e.g. {@code actions.login.limit} */
    public static AbuseGuardProperties properties(Map<String, String> properties) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        properties.forEach((key, value) -> source.put("abuse-guard." + key, value));
        return new Binder(source).bindOrCreate("abuse-guard", AbuseGuardProperties.class);
    }
}
