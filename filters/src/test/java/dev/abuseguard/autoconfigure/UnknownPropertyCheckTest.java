package dev.abuseguard.autoconfigure;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * What Boot's binder binds of {@code abuse-guard} is known, and nothing else is: the record's components, its
 * maps' entries under any name, lists by index, relaxed spellings. An unknown key is named with what the binder
 * tried in its place, before any error in the values beside it.
 */
class UnknownPropertyCheckTest {

    private static StandardEnvironment environment(String... keyValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("routes.yml", values));
        return environment;
    }

    @Test
    void everyShapeTheRecordBindsIsKnown() {
        StandardEnvironment known = environment(
                "abuse-guard.actions.any_name.limit", "5", "abuse-guard.actions.any_name.window", "1h",
                "abuse-guard.actions.any_name.failure-statuses[0]", "401",
                "abuse-guard.actions.any_name.failure-statuses[1]", "403",
                "abuse-guard.actions.any_name.on_store_failure", "deny",
                "abuse-guard.identity.trusted-proxies[0]", "10.0.0.0/8",
                "abuse-guard.discord.commands.[buy.gold]", "any_name",
                "abuse-guard.store.redis.timeout", "1s",
                "abuse-guard.tiers.premium.any_name.limit", "50", "abuse-guard.tiers.premium.any_name.window", "1h",
                "abuse-guard.exempt-users[0]", "staff-1",
                "abuse-guard.globalSyncInterval", "1s",
                "abuse-guard.spike.factor", "3",
                "abuse-guard.server.request-header-timeout", "5s");
        assertThatCode(() -> UnknownPropertyCheck.check(known)).doesNotThrowAnyException();
    }

    @Test
    void anUnknownKeyIsNamedWithWhatIsKnownInItsPlace() {
        assertThatThrownBy(() -> UnknownPropertyCheck.check(environment("abuse-guard.spike.factr", "3",
                "abuse-guard.store.reddis.timeout", "1s", "abuse-guard.store.redis.timeout.extra", "1")))
                .hasMessageStartingWith("unknown configuration properties under abuse-guard: ")
                .hasMessageContaining("abuse-guard.spike.factr: 'factr' is not a property of abuse-guard.spike "
                        + "(known there: baseline, enabled, factor, interval, min-rate) [")
                .hasMessageContaining("'reddis' is not a property of abuse-guard.store (known there: memory, redis)")
                .hasMessageContaining("'extra' is not a property of abuse-guard.store.redis.timeout (a value)");
    }

    @Test
    void aTypoIsNamedBeforeTheMissingValueItCauses() {
        assertThatThrownBy(() -> UnknownPropertyCheck.check(environment(
                "abuse-guard.actions.tiny.limt", "5", "abuse-guard.actions.tiny.window", "1h")))
                .hasMessageStartingWith("unknown configuration property under abuse-guard: "
                        + "abuse-guard.actions.tiny.limt: 'limt' is not a property of abuse-guard.actions.tiny "
                        + "(known there: failure-statuses, global, limit, max-delay, on-store-failure, shadow, "
                        + "spend-on, strategy, window)");
    }

    /** A wrong value under a known key is left to the binding that follows, which names the value. */
    @Test
    void aKnownKeyWithAWrongValueIsNotUnknown() {
        assertThatCode(() -> UnknownPropertyCheck.check(environment("abuse-guard.actions.tiny.limit", "five",
                "abuse-guard.actions.tiny.window", "1h", "abuse-guard.actions.tiny.strategy", "token-bukket")))
                .doesNotThrowAnyException();
    }

    /** Boot binds a list from [0] on and stops at the first gap: an element past it would be lost in silence. */
    @Test
    void aListElementPastAGapIsUnknown() {
        assertThatThrownBy(() -> UnknownPropertyCheck.check(environment("abuse-guard.exempt-users[0]", "a",
                "abuse-guard.exempt-users[2]", "c")))
                .hasMessageContaining("abuse-guard.exempt-users[2]: '2' is not a property of abuse-guard.exempt-users "
                        + "(known there: [0], [1])");
    }

    @Test
    void environmentVariablesAreNotChecked() {
        StandardEnvironment withVariable = environment("abuse-guard.shadow", "true");
        withVariable.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("ABUSE_GUARD_DEPLOY_SCRIPT_VERSION", "7")));
        assertThatCode(() -> UnknownPropertyCheck.check(withVariable)).doesNotThrowAnyException();
        StandardEnvironment withTypo = environment("abuse-guard.shadw", "true");
        assertThatThrownBy(() -> UnknownPropertyCheck.check(withTypo)).hasMessageContaining("'shadw'");
    }
}
