package dev.abuseguard.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.policy.AbuseGuardProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The known names come from the records, not from a list: a component another change adds to a record, or a
 * record of its own bound below abuse-guard, is known at once, and its typos are refused.
 */
class UnknownPropertyCheckTest {

    /** Shaped like the settings other changes add: a flag, a duration, a nested record, a map of records. */
    @ConfigurationProperties("abuse-guard")
    record Added(Boolean shadow, Duration globalSyncInterval, Spike spike, Map<String, Spike> perAction) {
        record Spike(Integer factor, Duration window) {
        }
    }

    /** A record of its own bound at a prefix below abuse-guard. */
    @ConfigurationProperties("abuse-guard.extra")
    record Extra(List<String> names) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({Added.class, Extra.class})
    static class WithAddedProperties {
        @Bean
        static UnknownPropertyCheck check() {
            return new UnknownPropertyCheck();
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(WithAddedProperties.class);

    @Test
    void newComponentsAndNewRecordsAreKnownWithoutAList() {
        context.withPropertyValues("abuse-guard.shadow=true", "abuse-guard.global-sync-interval=1s",
                        "abuse-guard.spike.factor=3", "abuse-guard.spike.window=1m",
                        "abuse-guard.per-action.any_name.factor=2", "abuse-guard.extra.names[0]=a",
                        "abuse-guard.globalSyncInterval=2s")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void theirTyposAreRefusedNamingTheKey() {
        context.withPropertyValues("abuse-guard.spike.factr=3", "abuse-guard.extra.nmes=a",
                        "abuse-guard.per-action.x.windw=1s")
                .run(started -> assertThat(started).getFailure()
                        .hasMessageContaining("abuse-guard.spike.factr: 'factr' is not a property of abuse-guard.spike "
                                + "(known there: factor, window)")
                        .hasMessageContaining("abuse-guard.extra.nmes: 'nmes' is not a property of abuse-guard.extra "
                                + "(known there: names)")
                        .hasMessageContaining("abuse-guard.per-action.x.windw"));
    }

    @Test
    void theShippedRecordsMapsListsAndPlainValueMaps() {
        KnownPropertyNames names = new KnownPropertyNames().add("abuse-guard", AbuseGuardProperties.class);
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.actions.anything.limit"))).isNull();
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.actions.anything.failure-statuses[1]")))
                .isNull();
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.identity.trusted-proxies[0]"))).isNull();
        // a map of plain values takes the rest of the name as its key
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.discord.commands.buy.gold"))).isNull();
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.store.redis.timeout"))).isNull();
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.store.redis.timeout.extra")))
                .contains("'extra' is not a property of abuse-guard.store.redis.timeout (a value)");
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.identity.trusted-proxies.first")))
                .contains("(a list: [0], [1], ...)");
        assertThat(names.unknown(ConfigurationPropertyName.of("abuse-guard.store.reddis.timeout")))
                .contains("'reddis' is not a property of abuse-guard.store (known there: memory, redis)");
    }
}
