package dev.abuseguard.gateway.redis;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.testsupport.RedisCluster;
import dev.abuseguard.testsupport.RedisMonitor;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway on a real Redis Cluster of three masters, configured as an operator would
 * ({@code spring.data.redis.cluster.nodes}): the contract holds, users whose hash tags land on different
 * nodes are all served, and one user's allowed request is one command (EVALSHA) to one node.
 */
class RedisClusterEndToEndTest {

    /** The periodic topology refresh, as configured here: the default, written out. */
    private static final Duration REFRESH_PERIOD = Duration.ofSeconds(30);

    private static RedisCluster cluster;
    private static WireMockServer backend;
    private static GatewayApp gateway;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        backend = Backends.answeringOk();
        gateway = GatewayApp.startOnCluster(TestRoutes.to(backend.port()), cluster.nodesProperty(),
                GatewayExtension.defaults(
                        "--spring.data.redis.lettuce.cluster.refresh.period=" + REFRESH_PERIOD.toSeconds() + "s",
                        // the trends flush (one EVALSHA of its own every flush-interval, 5 s by default) kept out of
                        // the measured windows: what is counted here is what decisions and the topology refresh send
                        "--abuse-guard.trends.flush-interval=10m"));
        client = gateway.client();
        awaitDecidingOnTheCluster();
    }

    /**
     * The gateway's first request loads the routing and connects Lettuce to the cluster, which can take
     * seconds on a loaded machine, and a decision that outlasts the 2 s time limit is made from memory.
     * So the tests begin once a request has been decided on the cluster: the user's bucket (pack_create,
     * kept for 720 s after a request) is on the user's node. The tests use other users.
     */
    private static void awaitDecidingOnTheCluster() {
        RedisServer node = cluster.ownerOf(UserKey.abuse("warm-up"));
        Awaitility.await("a request decided on the cluster").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    gateway.webClient().post().uri("/packs/open").header("X-User-Id", "warm-up")
                            .exchangeToMono(r -> r.releaseBody()).block(Duration.ofSeconds(30));
                    return !node.keys(UserKey.all("warm-up")).isEmpty();
                });
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void reset() {
        cluster.flushAll();
        backend.resetAll();
        Backends.answerOk(backend);
    }

    @Test
    void overTheLimitTheUserGets429WithRisingScoresAndThenIsBlockedFromEveryAction() {
        client.get().uri("/tiny").header("X-User-Id", "mallory").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "1")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0")
                .expectHeader().valueEquals("X-Abuse-Score", "0");

        for (String score : new String[] {"10", "25", "45", "70", "100"}) {
            client.get().uri("/tiny").header("X-User-Id", "mallory").exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3600")
                    .expectHeader().valueEquals("X-Abuse-Score", score)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:rate-limited");
        }

        for (String path : new String[] {"/tiny", "/packs/open", "/payments/pay"}) {
            client.get().uri(path).header("X-User-Id", "mallory").exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals("X-Abuse-Blocked", "true")
                    .expectHeader().valueEquals("X-Abuse-Score", "100")
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:blocked")
                    .jsonPath("$.abuseScore").isEqualTo(100);
        }
        client.get().uri("/packs/open").header("X-User-Id", "someone-else").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Abuse-Score", "0");

        backend.verify(2, anyRequestedFor(anyUrl()));
        // decided on the cluster all along, not from the local fallback
        client.get().uri("/actuator/health").header("Authorization", GatewayExtension.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.abuseGuardStore.status").isEqualTo("UP");
        // all of mallory's keys sit on the one node that serves her hash tag
        RedisServer owner = cluster.ownerOf(UserKey.abuse("mallory"));
        for (RedisServer node : cluster.nodes()) {
            assertThat(node.keys(UserKey.all("mallory")))
                    .as("mallory's keys on node %d", node.port())
                    .hasSize(node == owner ? 3 : 0);
        }
        assertEveryKeyHasATtl();
    }

    @Test
    void usersWhoseKeysLandOnDifferentNodesAreAllServedAndTheirKeysStayOnTheirNode() {
        Map<RedisServer, String> userByNode = oneUserPerNode("player-");
        assertThat(userByNode.values().stream().map(id -> cluster.slotOf(UserKey.abuse(id))).distinct())
                .as("the users' hash slots").hasSize(3);

        for (String user : userByNode.values()) {
            client.post().uri("/packs/open").header("X-User-Id", user).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Limit", "5")
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "4")
                    .expectHeader().valueEquals("X-Abuse-Score", "0");
            client.get().uri("/tiny").header("X-User-Id", user).exchange().expectStatus().isOk();
            client.get().uri("/tiny").header("X-User-Id", user).exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("X-Abuse-Score", "10");
        }
        // a second request of each user sees the state its first left on its node
        for (String user : userByNode.values()) {
            client.post().uri("/packs/open").header("X-User-Id", user).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "3")
                    .expectHeader().valueEquals("X-Abuse-Score", "10");
        }

        for (Map.Entry<RedisServer, String> entry : userByNode.entrySet()) {
            String user = entry.getValue();
            for (RedisServer node : cluster.nodes()) {
                List<String> keys = node.keys(UserKey.all(user));
                if (node == entry.getKey()) {
                    // abuse record, violation history, and the pack_create and tiny buckets
                    assertThat(keys).as("%s's keys on its node %d", user, node.port()).hasSize(4)
                            .contains(UserKey.abuse(user), "ag:{u:" + user + "}:violations");
                } else {
                    assertThat(keys).as("%s's keys on node %d, not its own", user, node.port()).isEmpty();
                }
            }
        }
        backend.verify(9, anyRequestedFor(anyUrl()));
        for (String user : userByNode.values()) {
            backend.verify(3, anyRequestedFor(anyUrl()).withHeader("X-User-Id", equalTo(user)));
        }
        assertEveryKeyHasATtl();
    }

    @Test
    void anAllowedRequestIsOneEvalshaOnTheUsersNodeAndNothingOnTheOthers() throws Exception {
        // Warm up: one request for a user on each node opens Lettuce's connection to every node and, each
        // node having its own script cache (emptied here), loads the token-bucket script on each. Of what the
        // warm-up sends only the scripts are asserted: the connection set-up (HELLO, CLIENT SETINFO,
        // CLUSTER NODES, INFO) happens only if this test is the first to reach a node, and nothing of the
        // warm-up is counted below.
        cluster.nodes().forEach(node -> node.run("SCRIPT", "FLUSH"));
        List<String> warmUsers = List.copyOf(oneUserPerNode("warm-").values());
        Map<RedisServer, Traffic> warmUp = trafficDuring("warm-up", () -> warmUsers.forEach(user ->
                client.get().uri("/packs/open").header("X-User-Id", user).exchange()
                        .expectStatus().isOk()
                        .expectHeader().valueEquals("X-RateLimit-Remaining", "4")));
        warmUp.forEach((node, traffic) -> assertThat(traffic.client())
                .as("scripts sent to node %d during the warm-up", node.port())
                .filteredOn(command -> command.startsWith("EVAL"))
                .containsExactly("EVALSHA", "EVAL")); // NOSCRIPT on that node, so the source once

        List<String> measured = new ArrayList<>();
        for (Map.Entry<RedisServer, String> entry : oneUserPerNode("measured-").entrySet()) {
            RedisServer owner = entry.getKey();
            String user = entry.getValue();
            Map<RedisServer, Traffic> seen = trafficDuring(user, () ->
                    client.get().uri("/packs/open").header("X-User-Id", user).exchange()
                            .expectStatus().isOk()
                            .expectHeader().valueEquals("X-RateLimit-Remaining", "4"));

            seen.forEach((node, traffic) -> {
                measured.add(user + " -> node " + node.port() + (node == owner ? " (its node)" : "")
                        + ": client " + traffic.client() + ", in script " + traffic.script());
                if (node == owner) {
                    assertThat(traffic.client()).as("what %s's node %d received", user, node.port())
                            .containsExactly("EVALSHA");
                    // inside the token-bucket script: TIME, one MGET (abuse record + bucket + overrides), one SET
                    assertThat(traffic.script()).containsExactly("TIME", "MGET", "SET");
                } else {
                    assertThat(traffic.client()).as("what node %d, not %s's, received", node.port(), user).isEmpty();
                    assertThat(traffic.script()).isEmpty();
                }
            });
        }
        System.out.println("measured commands per node per request:\n  " + String.join("\n  ", measured));
        assertEveryKeyHasATtl();
    }

    /**
     * What one node executed: commands clients sent over the decision connections, commands scripts made
     * inside it, and the topology refreshes it answered (a refresh opens connections of its own and asks
     * {@code CLUSTER NODES} on them), each the list of what that connection sent.
     */
    private record Traffic(List<String> client, List<String> script, List<List<String>> refreshes) {
    }

    /** What the topology refresh sends: the handshake of its own connection, then the node's view and info. */
    private static final Set<String> REFRESH_COMMANDS = Set.of("HELLO", "AUTH", "CLIENT", "CLUSTER", "INFO", "PING",
            "QUIT");

    /**
     * Runs {@code action} with MONITOR on every node and returns what each node executed meanwhile. Then
     * the test sends ECHO to every node itself: a monitor that shows the ECHO has shown everything its node
     * executed before, so the lists are complete. Nothing is filtered out: the connections that asked for
     * the topology are set apart as refreshes, and their count is bounded by the periodic refresh's period
     * (each Lettuce client, the general one and one per decision lane, refreshes every period; on a healthy
     * cluster the adaptive refresh never fires).
     */
    private static Map<RedisServer, Traffic> trafficDuring(String name, Runnable action) throws Exception {
        Map<RedisServer, RedisMonitor> monitors = new LinkedHashMap<>();
        long start = System.nanoTime();
        try {
            for (RedisServer node : cluster.nodes()) {
                monitors.put(node, new RedisMonitor(node.port()));
            }
            action.run();
            for (RedisServer node : cluster.nodes()) {
                node.run("ECHO", "end-of-" + name);
            }
            Awaitility.await("every monitor shows the ECHO").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> monitors.values().stream().allMatch(m -> m.clientCommands().contains("ECHO")));
            long windowMillis = (System.nanoTime() - start) / 1_000_000;
            Map<RedisServer, Traffic> traffic = new LinkedHashMap<>();
            monitors.forEach((node, monitor) -> traffic.put(node, split(monitor)));
            int clients = gateway.bean(LettuceConnection.class).laneCount() + 1;
            long allowed = clients * (1 + windowMillis / REFRESH_PERIOD.toMillis());
            traffic.forEach((node, seen) -> {
                assertThat(seen.refreshes()).as("topology refreshes node %d answered in %d ms (%d clients, every %s)",
                        node.port(), windowMillis, clients, REFRESH_PERIOD).hasSizeLessThanOrEqualTo((int) allowed);
                seen.refreshes().forEach(refresh -> assertThat(refresh).as("what a refresh sent node %d", node.port())
                        .isSubsetOf(REFRESH_COMMANDS).contains("CLUSTER"));
                if (!seen.refreshes().isEmpty()) {
                    System.out.printf("periodic refresh seen on node %d during %s: %s%n", node.port(), name,
                            seen.refreshes());
                }
            });
            return traffic;
        } finally {
            for (RedisMonitor monitor : monitors.values()) {
                monitor.close();
            }
        }
    }

    /** What a new connection sends before anything else. */
    private static final Set<String> HANDSHAKE = Set.of("HELLO", "AUTH", "CLIENT");

    /**
     * The node's traffic up to the test's ECHO, the topology refresh's connections set apart. A refresh's
     * connection may have sent only its handshake by the ECHO: what it sends next (CLUSTER NODES, or
     * anything else) decides what it was, so the split waits for that.
     */
    private static Traffic split(RedisMonitor monitor) {
        List<RedisMonitor.Sent> all = Awaitility.await("connections past their handshake")
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(monitor::clientCommandsWithConnection, sent -> {
                    Map<String, List<String>> byConnection = byConnection(sent);
                    return byConnection(upToEcho(sent)).keySet().stream()
                            .allMatch(client -> !HANDSHAKE.containsAll(byConnection.get(client)));
                });
        Map<String, List<String>> whole = byConnection(all);
        Set<String> refreshing = whole.entrySet().stream()
                .filter(e -> e.getValue().contains("CLUSTER") && REFRESH_COMMANDS.containsAll(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        List<RedisMonitor.Sent> window = upToEcho(all);
        List<List<String>> refreshes = byConnection(window).keySet().stream().filter(refreshing::contains)
                .map(whole::get).toList();
        List<String> decisions = window.stream().filter(sent -> !refreshing.contains(sent.client()))
                .map(RedisMonitor.Sent::command).toList();
        return new Traffic(decisions, monitor.scriptCommands(), refreshes);
    }

    private static List<RedisMonitor.Sent> upToEcho(List<RedisMonitor.Sent> sent) {
        return sent.subList(0, sent.stream().map(RedisMonitor.Sent::command).toList().indexOf("ECHO"));
    }

    private static Map<String, List<String>> byConnection(List<RedisMonitor.Sent> sent) {
        return sent.stream().collect(Collectors.groupingBy(RedisMonitor.Sent::client, LinkedHashMap::new,
                Collectors.mapping(RedisMonitor.Sent::command, Collectors.toList())));
    }

    /** One user id per master, found by asking the cluster which node serves each candidate's hash tag. */
    private static Map<RedisServer, String> oneUserPerNode(String prefix) {
        Map<RedisServer, String> userByNode = new LinkedHashMap<>();
        for (int i = 0; userByNode.size() < cluster.nodes().size(); i++) {
            assertThat(i).as("candidates tried to cover every node").isLessThan(1000);
            String user = prefix + i;
            userByNode.putIfAbsent(cluster.ownerOf(UserKey.abuse(user)), user);
        }
        return userByNode;
    }

    /** Every key the gateway wrote, on every node, expires. */
    private static void assertEveryKeyHasATtl() {
        int keys = 0;
        for (RedisServer node : cluster.nodes()) {
            for (String key : node.keys("*")) {
                keys++;
                assertThat(Long.parseLong(node.run("PTTL", key).get(0)))
                        .as("TTL of %s on node %d (-1: none)", key, node.port()).isPositive();
            }
        }
        assertThat(keys).as("keys written").isPositive();
    }

    /** Key names as docs/architecture.md gives them. */
    private static final class UserKey {

        static String abuse(String user) {
            return "ag:{u:" + user + "}:abuse";
        }

        static String all(String user) {
            return "ag:{u:" + user + "}:*";
        }
    }
}
