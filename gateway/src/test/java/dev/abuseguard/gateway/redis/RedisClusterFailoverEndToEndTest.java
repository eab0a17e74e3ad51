package dev.abuseguard.gateway.redis;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisCluster;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on a Redis Cluster of three masters, each with a replica, configured only by
 * {@code spring.data.redis.cluster.nodes} and with the default topology refresh (adaptive, and every 30 s).
 * One master is killed (SIGKILL) under load: the {@code local} action answers every request meanwhile, the
 * cluster promotes that master's replica, the instances follow the new slot map by themselves (every event
 * loop's connection too) and decide there, and together they are exact again.
 */
class RedisClusterFailoverEndToEndTest {

    /** How long a master may be unreachable before the cluster fails it over; Redis's default is 15 s. */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);

    private static RedisCluster cluster;
    private static WireMockServer backend;
    private static GatewayApp first;
    private static GatewayApp second;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.withReplicas(NODE_TIMEOUT);
        backend = Backends.answeringOk();
        first = startGateway();
        second = startGateway();
    }

    private static GatewayApp startGateway() {
        return GatewayApp.startOnCluster(TestRoutes.to(backend.port()), cluster.nodesProperty(),
                // a time limit a loaded 2-core machine keeps; the breaker probes again after a second
                "--abuse-guard.store.redis.timeout=500ms",
                "--abuse-guard.store.redis.wait-in-open-state=1s",
                "--abuse-guard.admin.token=" + ADMIN_TOKEN);
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
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The master that serves a user's keys, by the cluster's slot map now. */
    private static RedisServer ownerOf(String user) {
        return cluster.ownerOf("ag:{u:" + user + "}:abuse");
    }

    @Test
    void aMasterKilledUnderLoadCostsNoRequestAndDecisionsFollowItsPromotedReplica() {
        assertThat(cluster.masters()).as("masters").hasSize(3);
        assertThat(cluster.replicas()).as("replicas").hasSize(3);
        Function<String, RedisServer> nodeFor = RedisClusterFailoverEndToEndTest::ownerOf;
        FailoverLoad.awaitEveryLaneOn(first, ADMIN_TOKEN, nodeFor, "warm-a-", Duration.ofSeconds(30));
        FailoverLoad.awaitEveryLaneOn(second, ADMIN_TOKEN, nodeFor, "warm-b-", Duration.ofSeconds(30));

        RedisServer victim = cluster.masters().get(0);
        RedisServer promoted = cluster.replicaOf(victim);
        // users of the victim's slots: after the failover, their keys can only be written on the promoted node
        Iterator<String> probesFirst = cluster.usersOn(victim, "probe-a-");
        Iterator<String> probesSecond = cluster.usersOn(victim, "probe-b-");
        String exactUser = cluster.usersOn(victim, "exact-after-cluster-failover-").next();

        try (FailoverLoad load = FailoverLoad.start(List.of(first, second), 4, Duration.ofSeconds(60))) {
            load.awaitServed(100);
            double fallbacksBefore = FailoverLoad.fallbacks(first) + FailoverLoad.fallbacks(second);
            long killedAt = System.nanoTime();
            victim.kill();

            long backFirst = FailoverLoad.millisUntilDecidingOn(first, probesFirst, user -> promoted, killedAt,
                    Duration.ofSeconds(30));
            long backSecond = FailoverLoad.millisUntilDecidingOn(second, probesSecond, user -> promoted, killedAt,
                    Duration.ofSeconds(30));
            assertThat(cluster.masters()).as("the masters after the failover").hasSize(3).contains(promoted)
                    .doesNotContain(victim);
            int servedWhenBack = load.served();
            load.awaitServed(servedWhenBack + 100); // and the load goes on, on every master
            load.reportAndAssert("cluster failover", Math.max(backFirst, backSecond),
                    FailoverLoad.fallbacks(first) + FailoverLoad.fallbacks(second) - fallbacksBefore);
        }

        FailoverLoad.awaitEveryLaneOn(first, ADMIN_TOKEN, nodeFor, "lanes-a-", Duration.ofSeconds(15));
        FailoverLoad.awaitEveryLaneOn(second, ADMIN_TOKEN, nodeFor, "lanes-b-", Duration.ofSeconds(15));
        FailoverLoad.assertExactAcross(first, second, exactUser);
        assertThat(ownerOf(exactUser)).isSameAs(promoted);
        List<String> keys = promoted.keys("ag:{u:" + exactUser + "}:*");
        assertThat(keys).as("the user's keys on the promoted node").isNotEmpty();
        for (String key : keys) {
            assertThat(Long.parseLong(promoted.run("PTTL", key).get(0))).as("TTL of %s", key).isPositive();
        }
    }
}
