package dev.abuseguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.testsupport.TestPolicies;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every setting under abuse-guard is either applied by a refresh or read at start-up, and says which. */
class AbuseGuardPropertiesTest {

    private static Set<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .map(name -> name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    @Test
    void eachComponentIsLiveOrReadAtStartUpAndNotBoth() {
        Set<String> live = names(LiveSettings.class);
        Set<String> startUp = AbuseGuardProperties.readAtStartUp();
        Set<String> both = new HashSet<>(live);
        both.retainAll(startUp);
        Set<String> either = new HashSet<>(live);
        either.addAll(startUp);
        assertThat(both).isEmpty();
        assertThat(either).isEqualTo(names(AbuseGuardProperties.class));
    }

    @Test
    void aRefreshNamesTheStartUpSettingsItLeavesAsTheyAre() {
        AbuseGuardProperties before = TestPolicies.properties(Map.of("actions.api.limit", "5",
                "actions.api.window", "1m"));
        AbuseGuardProperties limitOnly = TestPolicies.properties(Map.of("actions.api.limit", "9",
                "actions.api.window", "1m"));
        AbuseGuardProperties storeAndSpike = TestPolicies.properties(Map.of("actions.api.limit", "9",
                "actions.api.window", "1m", "store.redis.timeout", "1s", "spike.factor", "3"));
        assertThat(before.startUpChangesIn(limitOnly)).isEmpty();
        assertThat(before.live()).isNotEqualTo(limitOnly.live());
        assertThat(before.startUpChangesIn(storeAndSpike)).containsExactly("store", "spike");
    }
}
