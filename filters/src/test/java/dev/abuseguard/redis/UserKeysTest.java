package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"42", "user:1", "a@b.example", "ip:2001:db8::1", "x-y_z.", "ip:127.0.0.1", "~ip:127.0.0.1",
            "~ip:2001:db8::1"})
    void allKeysOfOneUserShareTheHashTagAndSoOneClusterSlot(String userId) {
        String[] keys = UserKeys.forDecision(userId, new Action("pack_create",
                ActionPolicy.of(5, Duration.ofHours(1), StrategyType.TOKEN_BUCKET)));

        assertThat(keys).allSatisfy(key -> assertThat(key).startsWith("ag:{u:" + userId + "}:"));
        assertThat(Arrays.stream(keys).mapToInt(SlotHash::getSlot).distinct()).hasSize(1);
        assertThat(SlotHash.getSlot(keys[0])).isEqualTo(SlotHash.getSlot("u:" + userId))
                .as("the hash the overrides' string is written with")
                .isEqualTo(SlotHash.getSlot(UserKeys.overrides(userId)));
        assertThat(keys[1]).endsWith(":s:pack_create:t3600000");
    }
}
