package dev.abuseguard.trends;

import static dev.abuseguard.trends.TrendsTest.LOGIN;
import static dev.abuseguard.trends.TrendsTest.MINUTE;
import static dev.abuseguard.trends.TrendsTest.PACKS;
import static dev.abuseguard.trends.TrendsTest.decide;
import static dev.abuseguard.trends.TrendsTest.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.decision.Outcome;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.OpenConnections;
import dev.abuseguard.testsupport.RedisMonitor;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The counts of several instances added up in a real Redis: one command a flush, TTLs, bounds, fallback. */
class RedisTrendsTest {

    private static final RedisServer redis = RedisServer.shared();
    @RegisterExtension
    final OpenConnections connections = new OpenConnections();
    private final ManualClock clock = new ManualClock(MINUTE + 5_000);
    private final List<Trends> started = new ArrayList<>();

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @AfterEach
    void stop() {
        started.forEach(Trends::close);
    }

    private Trends instance(RedisServer on) {
        Trends trends = Trends.start(settings(1000), connections.standalone(on), clock);
        started.add(trends);
        return trends;
    }

    @Test
    void twoInstancesOnOneRedisServeTheSumOfTheirCounts() {
        Trends first = instance(redis);
        Trends second = instance(redis);
        decide(first, "42", PACKS, Outcome.ALLOWED, 7);
        decide(first, "42", PACKS, Outcome.RATE_LIMITED, 2);
        decide(second, "42", PACKS, Outcome.RATE_LIMITED, 1);
        decide(second, "43", PACKS, Outcome.ALLOWED, 5);
        decide(second, "9", LOGIN, Outcome.BLOCKED, 3);
        first.flush().block();
        second.flush().block();
        clock.advance(Duration.ofMinutes(1));
        decide(first, "43", PACKS, Outcome.RATE_LIMITED, 4);
        first.flush().block();

        List<TrendRow> expected = List.of(
                new TrendRow(Instant.parse("2026-12-02T05:40:00Z"), "login_attempt", 0, 0, 3, 0, 0),
                new TrendRow(Instant.parse("2026-12-02T05:40:00Z"), "pack_create", 12, 3, 0, 0, 0),
                new TrendRow(Instant.parse("2026-12-02T05:41:00Z"), "pack_create", 0, 4, 0, 0, 0));
        assertThat(first.rows(60).block()).isEqualTo(expected);
        assertThat(second.rows(60).block()).as("either instance reads every instance's counts").isEqualTo(expected);
        assertThat(second.offenders(60, 10).block()).containsExactly(new Offender("43", 4), new Offender("42", 3));
    }

    /** However much was counted, one flush is one command; an instance with nothing to add sends nothing. */
    @Test
    void aFlushIsOneRedisCommandAndAnIdleInstanceSendsNone() throws Exception {
        Trends trends = instance(redis);
        decide(trends, "warm", PACKS, Outcome.ALLOWED, 1);
        trends.flush().block(); // loads the script

        try (RedisMonitor monitor = new RedisMonitor(redis.port())) {
            for (int i = 0; i < 300; i++) {
                decide(trends, "user-" + i, PACKS, i % 3 == 0 ? Outcome.RATE_LIMITED : Outcome.ALLOWED, 1);
                decide(trends, "user-" + i, LOGIN, Outcome.BLOCKED, 1);
            }
            trends.flush().block();
            trends.flush().block(); // nothing new: nothing sent
            redis.run("ECHO", "done"); // MONITOR shows commands in the order Redis ran them
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> monitor.clientCommands().contains("ECHO"));
            assertThat(monitor.clientCommands()).containsExactly("EVALSHA", "ECHO");
        }
        assertThat(trends.rows(1).block()).extracting(TrendRow::action, TrendRow::allowed, TrendRow::rateLimited,
                TrendRow::blocked).containsExactly(
                Tuple.tuple("login_attempt", 0L, 0L, 300L),
                Tuple.tuple("pack_create", 201L, 100L, 0L));
    }

    @Test
    void everyKeyHasATimeToLive() {
        Trends trends = instance(redis);
        decide(trends, "42", PACKS, Outcome.RATE_LIMITED, 2);
        decide(trends, "42", LOGIN, Outcome.ALLOWED, 2);
        trends.flush().block();
        clock.advance(Duration.ofMinutes(1));
        decide(trends, "43", PACKS, Outcome.RATE_LIMITED, 1);
        trends.flush().block();

        List<String> keys = redis.keys("*");
        assertThat(keys).containsExactlyInAnyOrder(RedisTrendStore.countsKey(MINUTE / 60_000),
                RedisTrendStore.offendersKey(MINUTE / 60_000), RedisTrendStore.countsKey(MINUTE / 60_000 + 1),
                RedisTrendStore.offendersKey(MINUTE / 60_000 + 1));
        for (String key : keys) {
            long ttl = Long.parseLong(redis.run("PTTL", key).get(0));
            long most = key.contains(":c:") ? Duration.ofHours(25).toMillis() : Duration.ofMinutes(70).toMillis();
            assertThat(ttl).as("TTL of %s", key).isPositive().isLessThanOrEqualTo(most);
        }
    }

    /**
     * 3,000 distinct users with violations in one minute, from three instances: the minute's set keeps the
     * most violent {@code keep} users; a minute's counts have one field per action and outcome.
     */
    @Test
    void aMinuteKeepsABoundedNumberOfOffendersAndFieldsHoweverManyUsers() {
        RedisTrendStore store = new RedisTrendStore(connections.standalone(redis), Duration.ofHours(25), 50);
        long minute = MINUTE / 60_000;
        for (int instance = 0; instance < 3; instance++) {
            Map<String, Long> users = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                users.put("id-" + instance + "-" + i, 1L);
            }
            users.put("worst", 10L);
            long[] counts = new long[TrendColumn.count()];
            counts[TrendColumn.RATE_LIMITED.ordinal()] = 1010;
            store.add(new TrendBatch(Map.of(minute, Map.of("pack_create", counts)), Map.of(minute, users))).block();
        }

        assertThat(Long.parseLong(redis.run("ZCARD", RedisTrendStore.offendersKey(minute)).get(0))).isEqualTo(50);
        assertThat(Long.parseLong(redis.run("HLEN", RedisTrendStore.countsKey(minute)).get(0))).isEqualTo(1);
        assertThat(store.offenders(minute, minute, 1).block()).containsExactly(new Offender("worst", 30));
        assertThat(store.rows(minute, minute).block()).singleElement().extracting(TrendRow::rateLimited)
                .isEqualTo(3030L);
    }

    /** Redis gone: flushes keep the counts in the instance, reads serve them; nothing throws. */
    @Test
    void withoutRedisAnInstanceServesItsOwnCounts() {
        RedisServer doomed = RedisServer.start();
        try {
            LettuceConnection connection = connections.standalone(doomed);
            Trends trends = Trends.start(settings(1000), connection, clock);
            started.add(trends);
            decide(trends, "42", PACKS, Outcome.RATE_LIMITED, 2);
            trends.flush().block();
            doomed.kill();
            decide(trends, "42", PACKS, Outcome.RATE_LIMITED, 3);
            trends.flush().block();

            assertThat(trends.rows(60).block()).singleElement().extracting(TrendRow::rateLimited).isEqualTo(5L);
            assertThat(trends.offenders(60, 10).block()).containsExactly(new Offender("42", 5));
        } finally {
            doomed.close();
        }
    }
}
