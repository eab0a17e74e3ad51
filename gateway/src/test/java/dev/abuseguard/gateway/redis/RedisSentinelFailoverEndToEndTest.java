package dev.abuseguard.gateway.redis;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisSentinels;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on a master watched by three sentinels, configured only by
 * {@code spring.data.redis.sentinel.master} and {@code .nodes}. The master is killed (SIGKILL) under load:
 * the {@code local} action answers every request meanwhile, the sentinels promote the replica, the
 * instances decide on it again by themselves (every event loop's connection too), and together they are
 * exact again.
 */
class RedisSentinelFailoverEndToEndTest {


    private static RedisSentinels redis;
    private static WireMockServer backend;
    private static GatewayApp first;
    private static GatewayApp second;

    @BeforeAll
    static void start() {
        redis = RedisSentinels.start();
        backend = Backends.answeringOk();
        first = startGateway();
        second = startGateway();
    }

    private static GatewayApp startGateway() {
        return GatewayApp.startWithRedis(TestRoutes.to(backend.port()), List.of(
                        "--spring.data.redis.sentinel.master=" + RedisSentinels.MASTER_NAME,
                        "--spring.data.redis.sentinel.nodes=" + redis.nodesProperty()),
                // a time limit a loaded 2-core machine keeps; the breaker probes again after a second
                "--abuse-guard.store.redis.timeout=500ms",
                "--abuse-guard.store.redis.wait-in-open-state=1s",
                "--abuse-guard.admin.token=" + ADMIN_TOKEN);
    }

    /** New users, one per probe: any key of theirs on a node was written by a decision after the kill. */
    private static Iterator<String> probes(String prefix) {
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + i).iterator();
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (backend != null) {
            backend.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theMasterKilledUnderLoadCostsNoRequestAndDecisionsFollowThePromotedReplica() {
        RedisServer master = redis.master();
        RedisServer replica = redis.replica();
        FailoverLoad.awaitEveryLaneOn(first, ADMIN_TOKEN, user -> master, "warm-a-", Duration.ofSeconds(30));
        FailoverLoad.awaitEveryLaneOn(second, ADMIN_TOKEN, user -> master, "warm-b-", Duration.ofSeconds(30));

        try (FailoverLoad load = FailoverLoad.start(List.of(first, second), 4, Duration.ofSeconds(60))) {
            load.awaitServed(100);
            double fallbacksBefore = FailoverLoad.fallbacks(first) + FailoverLoad.fallbacks(second);
            long killedAt = System.nanoTime();
            master.kill();

            long backFirst;
            long backSecond;
            try {
                backFirst = FailoverLoad.millisUntilDecidingOn(first, probes("probe-a-"), user -> replica, killedAt,
                        Duration.ofSeconds(30));
                backSecond = FailoverLoad.millisUntilDecidingOn(second, probes("probe-b-"), user -> replica, killedAt,
                        Duration.ofSeconds(30));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; the sentinels logged:\n" + redis.sentinelLogs(), e);
            }
            assertThat(redis.masterPortBySentinels()).as("the master by the sentinels' account")
                    .isEqualTo(replica.port());
            int servedWhenBack = load.served();
            load.awaitServed(servedWhenBack + 100); // and the load goes on on the promoted node
            load.reportAndAssert("sentinel failover", Math.max(backFirst, backSecond),
                    FailoverLoad.fallbacks(first) + FailoverLoad.fallbacks(second) - fallbacksBefore);
        }

        FailoverLoad.awaitEveryLaneOn(first, ADMIN_TOKEN, user -> replica, "lanes-a-", Duration.ofSeconds(15));
        FailoverLoad.awaitEveryLaneOn(second, ADMIN_TOKEN, user -> replica, "lanes-b-", Duration.ofSeconds(15));
        FailoverLoad.assertExactAcross(first, second, "exact-after-sentinel-failover");
        assertThat(replica.keys("ag:{u:exact-after-sentinel-failover}:*")).as("the user's keys on the promoted node")
                .isNotEmpty();
        for (String key : replica.keys("ag:{u:exact-after-sentinel-failover}:*")) {
            assertThat(Long.parseLong(replica.run("PTTL", key).get(0))).as("TTL of %s", key).isPositive();
        }
    }
}
