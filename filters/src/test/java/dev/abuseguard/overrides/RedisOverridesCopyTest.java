package dev.abuseguard.overrides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

/**
 * Every instance's copy of the overrides in Redis: filled by a full read of the indexed users, kept current by the
 * news an admin's change publishes, bounded, and blind to messages it cannot read.
 */
class RedisOverridesCopyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MAX_USERS = 5;

    private final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();
    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private LettuceConnection connection;
    private BlockInvalidations channel;
    private RedisUserOverrides admin;
    private KnownOverrides known;
    private RedisOverridesCopy copy;
    private Disposable following;

    @BeforeEach
    void start() {
        redis.flushAll();
        connection = connections.standalone(redis);
        channel = new BlockInvalidations(connection);
        admin = new RedisUserOverrides(connection, clock, Duration.ofDays(1), MAX_USERS);
        known = new KnownOverrides(MAX_USERS);
        copy = new RedisOverridesCopy(connection, channel, known, clock, MAX_USERS);
    }

    @AfterEach
    void stop() {
        if (following != null) {
            following.dispose();
        }
        channel.close();
    }

    private void follow() {
        following = copy.follow().subscribe();
        // the subscription to the channel is open once a message this instance publishes comes back
        await().atMost(WAIT).until(() -> {
            admin.tier("probe", "premium").block(WAIT);
            return known.get("probe") != null;
        });
        admin.clearTier("probe").block(WAIT);
        await().atMost(WAIT).until(() -> known.get("probe") == null);
    }

    @Test
    void aChangeMadeOnAnyInstanceReachesTheCopyByItsNews() {
        follow();
        admin.exempt("vip", "load test", null).block(WAIT);
        admin.tier("gold", "premium").block(WAIT);
        admin.limit("own", "tiny", new Quota(2, 3_600_000, 0)).block(WAIT);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(known.get("vip")).isEqualTo(new UserOverride(-1, "load test", null, Map.of()));
            assertThat(known.get("gold")).isEqualTo(new UserOverride(0, "", "premium", Map.of()));
            assertThat(known.get("own").limits()).containsEntry("tiny", new Quota(2, 3_600_000, 0));
        });

        admin.liftExempt("vip").block(WAIT);
        admin.clearLimit("own", "tiny").block(WAIT);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(known.get("vip")).isNull();
            assertThat(known.get("own")).isNull();
        });
        assertThat(known.get("gold")).isNotNull();
    }

    @Test
    void aFullReadFindsTheIndexedUsersAndThoseExemptedByTheVersionBefore() {
        admin.exempt("vip", "", Duration.ofHours(1)).block(WAIT);
        admin.tier("gold", "premium").block(WAIT);
        // as an instance of the version before writes an exemption: the hash and ag:exempt, no index, no news
        long until = clock.millis() + 3_600_000;
        redis.run("HSET", "ag:{u:legacy}:o", "exempt", Long.toString(until), "reason", "old");
        redis.run("PEXPIRE", "ag:{u:legacy}:o", "86400000");
        redis.run("ZADD", "ag:exempt", Long.toString(until), "legacy");
        redis.run("SCRIPT", "FLUSH"); // as after a restart: the read sends the script's source once

        copy.reload().block(WAIT);

        assertThat(known.get("vip").exemptAt(clock.millis())).isTrue();
        assertThat(known.get("gold").tier()).isEqualTo("premium");
        assertThat(known.get("legacy").exemptAt(clock.millis())).isTrue();
        assertThat(redis.run("GET", "ag:{u:legacy}:ov").get(0)).as("the string decisions read, carried over")
                .isEqualTo(until + ";;");
        assertThat(redis.run("GET", "ag:{u:gold}:ov").get(0)).isEqualTo("0;premium;");
        clock.advance(Duration.ofHours(1));
        assertThat(known.get("vip").exemptAt(clock.millis())).as("an exemption ends in the copy too").isFalse();
        for (String key : redis.keys("*")) {
            assertThat(Long.parseLong(redis.run("PTTL", key).get(0))).as("TTL of %s", key).isPositive();
        }
    }

    @Test
    void aChangeAnInstanceOfTheVersionBeforeMakesToTheHashAloneReachesTheStringDecisionsReadByItsNews() {
        follow();
        admin.tier("gold", "premium").block(WAIT);
        assertThat(redis.run("GET", "ag:{u:gold}:ov").get(0)).as("written with the hash").isEqualTo("0;premium;");

        // as the version before changes overrides: the hash alone, then the news
        redis.run("HSET", "ag:{u:gold}:o", "l:search", "3:1000", "l:bad", "x:1");
        redis.run("PUBLISH", BlockInvalidations.CHANNEL, "o gold");
        await().atMost(WAIT).untilAsserted(() -> assertThat(redis.run("GET", "ag:{u:gold}:ov").get(0))
                .as("only what a decision would read").isEqualTo("0;premium;,search=3:1000,"));
        assertThat(Long.parseLong(redis.run("PTTL", "ag:{u:gold}:ov").get(0)))
                .isCloseTo(Long.parseLong(redis.run("PTTL", "ag:{u:gold}:o").get(0)), within(1_000L));

        redis.run("DEL", "ag:{u:gold}:o");
        redis.run("PUBLISH", BlockInvalidations.CHANNEL, "o gold");
        await().atMost(WAIT).untilAsserted(() -> assertThat(redis.keys("ag:{u:gold}:*")).isEmpty());
    }

    @Test
    void theStringDecisionsReadFollowsEveryChangeAndIsAbsentWithoutOverrides() {
        admin.exempt("vip", "load test", Duration.ofHours(1)).block(WAIT);
        admin.limit("vip", "search", new Quota(3, 1_000, 0)).block(WAIT);
        admin.limit("vip", "login", new Quota(5, 60_000, 0)).block(WAIT);
        assertThat(redis.run("GET", "ag:{u:vip}:ov").get(0)).matches((clock.millis() + 3_600_000)
                + ";;,(search=3:1000,login=5:60000|login=5:60000,search=3:1000),");

        admin.liftExempt("vip").block(WAIT);
        admin.clearLimit("vip", "login").block(WAIT);
        assertThat(redis.run("GET", "ag:{u:vip}:ov").get(0)).isEqualTo("0;;,search=3:1000,");
        admin.clearLimit("vip", "search").block(WAIT);
        assertThat(redis.keys("ag:{u:vip}:*")).as("nothing left to read").isEmpty();
    }

    @Test
    void theIndexAndTheCopyHoldAtMostTheirBound() {
        for (int i = 0; i < 3 * MAX_USERS; i++) {
            admin.tier("user-" + i, "premium").block(WAIT);
        }
        assertThat(redis.run("ZCARD", RedisUserOverrides.OVERRIDDEN_INDEX).get(0))
                .isEqualTo(Long.toString(MAX_USERS));

        copy.reload().block(WAIT);

        assertThat(known.size()).isEqualTo(MAX_USERS);
    }

    @Test
    void aMessageTheCopyCannotReadIsSkippedAndTheNewsGoOn() {
        follow();
        redis.run("PUBLISH", BlockInvalidations.CHANNEL, "o ");
        redis.run("PUBLISH", BlockInvalidations.CHANNEL, "o two words");
        redis.run("PUBLISH", BlockInvalidations.CHANNEL, "z something new");
        redis.run("PUBLISH", BlockInvalidations.CHANNEL, "c vip");
        admin.exempt("vip", "", null).block(WAIT);

        await().atMost(WAIT).until(() -> known.get("vip") != null);
        assertThat(RedisOverridesCopy.changedUser("o +15551234567")).isEqualTo("+15551234567");
        assertThat(RedisOverridesCopy.changedUser("b -1 100 vip")).isNull();
    }

    @Test
    void aFullReadBegunBeforeAChangeWasHeardDoesNotUndoIt() {
        long before = known.generation();
        known.changing();
        known.put("vip", new UserOverride(-1, "", null, Map.of()));

        assertThat(known.replaceAll(Map.of(), before)).isFalse();
        assertThat(known.get("vip")).isNotNull();
    }
}
