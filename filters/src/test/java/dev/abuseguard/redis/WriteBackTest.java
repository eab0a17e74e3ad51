package dev.abuseguard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.decision.KnownBlocks.Block;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import dev.abuseguard.testsupport.TestPolicies;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A block decided locally during an outage is written to Redis on recovery, unless Redis exempts the user. */
class WriteBackTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();
    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private final LivePolicies policies = TestPolicies.of(Map.of());
    private BlockInvalidations channel;
    private RedisSharedBlocks blocks;

    @BeforeEach
    void start() {
        redis.flushAll();
        LettuceConnection connection = connections.standalone(redis);
        channel = new BlockInvalidations(connection);
        blocks = new RedisSharedBlocks(connection, channel, policies, clock);
    }

    @AfterEach
    void stop() {
        channel.close();
    }

    @Test
    void aUserRedisExemptsIsNeverWrittenBlockedWhileTheExemptionLasts() {
        redis.run("HSET", "ag:{u:vip}:o", "exempt", "-1");
        redis.run("HSET", "ag:{u:guest}:o", "exempt", Long.toString(clock.millis() + 60_000));

        assertThat(blocks.record("vip", new Block(-1, 100)).block(WAIT)).isFalse();
        assertThat(blocks.record("guest", new Block(-1, 100)).block(WAIT)).isFalse();
        assertThat(redis.keys("ag:{u:*}:abuse")).isEmpty();

        clock.advance(Duration.ofMinutes(1)); // guest's exemption has ended
        assertThat(blocks.record("guest", new Block(-1, 100)).block(WAIT)).isTrue();
        assertThat(redis.run("GET", "ag:{u:guest}:abuse").get(0)).startsWith("100:-1:");
    }

    @Test
    void aUserWithOtherOverridesOrNoneIsWrittenUnlessRedisKnowsALongerBlock() {
        redis.run("HSET", "ag:{u:gold}:o", "tier", "premium");

        assertThat(blocks.record("gold", new Block(-1, 100)).block(WAIT)).isTrue();
        assertThat(blocks.record("plain", new Block(clock.millis() + 60_000, 100)).block(WAIT)).isTrue();
        assertThat(blocks.record("plain", new Block(clock.millis() + 30_000, 100)).block(WAIT))
                .as("Redis knows a longer block").isFalse();
    }
}
