package dev.abuseguard.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of connections held by clients that send nothing, send their request head a byte at a time, send a
 * body a byte at a time, or go quiet after an answer: the server closes each within its time limit, and an
 * ordinary client's requests are answered meanwhile.
 */
class SlowConnectionsEndToEndTest {

    private static final long HEAD_LIMIT_MS = 1_000;
    private static final long BODY_LIMIT_MS = 2_000;
    private static final long IDLE_LIMIT_MS = 1_500;
    /**
     * What the server may take beyond a limit, counted from the client's side: the burst of connections below
     * is accepted up to a second after the clients' connects completed, on a 2-core machine that also runs the
     * clients, the backends and Redis. Still well short of what the slow clients would take to finish (a head
     * over 5 s, a body over 20 s) or of forever (the silent and idle ones).
     */
    private static final long SLACK_MS = 2_000;
    private static final long PACE_MS = 100;
    /**
     * An ordinary request's answer time while the slow clients' connections arrive in one burst, on a machine
     * whose 2 cores also run these clients, the backends and Redis.
     */
    private static final Duration ORDINARY_WITHIN = Duration.ofSeconds(2);
    /**
     * The upload route's own backend (the open route's is the extension's), started when the extension writes the
     * routes, so that a rerun of the class starts a fresh one.
     */
    private static WireMockServer uploads;
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> """
            spring.cloud.gateway.server.webflux.routes:
              - { id: open,   uri: "http://127.0.0.1:%d", predicates: [ "Path=/open/**" ],   filters: [ "AbuseGuard=open" ] }
              - { id: upload, uri: "http://127.0.0.1:%d", predicates: [ "Path=/upload/**" ], filters: [ "AbuseGuard=open" ] }
            abuse-guard:
              actions:
                open: { limit: 1000000, window: 1h, strategy: token-bucket }
            """.formatted(port, startUploads()))
            .with("--abuse-guard.server.request-header-timeout=" + HEAD_LIMIT_MS + "ms",
                    "--abuse-guard.server.request-body-timeout=" + BODY_LIMIT_MS + "ms",
                    "--server.netty.idle-timeout=" + IDLE_LIMIT_MS + "ms");

    private static int startUploads() {
        uploads = Backends.answeringOk();
        return uploads.port();
    }

    @AfterAll
    static void stopUploads() {
        uploads.stop();
    }

    private static final String ORDINARY = "GET /open/ordinary HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User-Id: "
            + "ordinary\r\n\r\n";

    private static String head(String method, String path, String extraHeaders) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User-Id: slow\r\n" + extraHeaders + "\r\n";
    }

    /** An ordinary client's first requests, which a fresh JVM answers slowly, before the slow clients come. */
    private static void warmUp() {
        try (KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), Duration.ofSeconds(10))) {
            for (int i = 0; i < 200; i++) {
                assertThat(connection.exchange(ORDINARY).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void slowAndSilentConnectionsAreClosedWithinTheLimitsWhileOrdinaryClientsAreServed() throws Exception {
        warmUp();
        try (SlowClients slow = new SlowClients(gateway.port(), PACE_MS)) {
            slow.start();
            List<SlowClients.Connection> silent = new ArrayList<>();
            List<SlowClients.Connection> slowHeads = new ArrayList<>();
            List<SlowClients.Connection> slowBodies = new ArrayList<>();
            List<SlowClients.Connection> idle = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                silent.add(slow.open("", ""));
                slowHeads.add(slow.open("", head("GET", "/open/head", "")));
                // answered at once (400: no identity), so that only the ordinary client's requests reach its backend
                idle.add(slow.open(head("GET", "/open/idle", "").replace("X-User-Id: slow\r\n", ""), ""));
                if (i % 2 == 0) {
                    slowBodies.add(slow.open(head("POST", "/upload/body", "Content-Length: 200\r\n"), "x".repeat(200)));
                }
            }

            List<Long> ordinaryMillis = new ArrayList<>();
            int unanswered = 0;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BODY_LIMIT_MS + SLACK_MS);
            KeptAliveConnection ordinary = KeptAliveConnection.open(gateway.port(), ORDINARY_WITHIN);
            while (System.nanoTime() < until) {
                long start = System.nanoTime();
                KeptAliveConnection.Answer answer = ordinary.exchange(ORDINARY);
                if (answer == null || answer.status() != 200) {
                    unanswered++;
                    ordinary.close();
                    ordinary = KeptAliveConnection.open(gateway.port(), ORDINARY_WITHIN);
                } else {
                    ordinaryMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            }
            ordinary.close();

            awaitClosed(slow.connections(), HEAD_LIMIT_MS + BODY_LIMIT_MS + IDLE_LIMIT_MS + 2 * SLACK_MS);
            long silentWorst = worst(silent, c -> c.closedAfterMillis(c.openedNanos));
            long headWorst = worst(slowHeads, c -> c.closedAfterMillis(c.openedNanos));
            long bodyWorst = worst(slowBodies, c -> c.closedAfterMillis(c.openedNanos));
            long idleWorst = worst(idle, c -> c.closedAfterMillis(c.lastAnswerBytesNanos));
            System.out.printf("FIGURES slow connections: %d held open; closed after at most %d ms (silent, limit %d), "
                    + "%d ms (head a byte per %d ms, limit %d), %d ms (body a byte per %d ms, limit %d), %d ms after "
                    + "the answer (idle, limit %d); ordinary client: %d requests answered, %d not, slowest %d ms%n",
                    slow.connections().size(), silentWorst, HEAD_LIMIT_MS, headWorst, PACE_MS, HEAD_LIMIT_MS,
                    bodyWorst, PACE_MS, BODY_LIMIT_MS, idleWorst, IDLE_LIMIT_MS, ordinaryMillis.size(), unanswered,
                    ordinaryMillis.stream().mapToLong(Long::longValue).max().orElse(-1));

            assertThat(unanswered).as("ordinary requests unanswered within " + ORDINARY_WITHIN).isZero();
            assertThat(ordinaryMillis).hasSizeGreaterThan(100);
            assertThat(idle).allSatisfy(c -> assertThat(c.lastAnswerBytesNanos).as("the idle client's answer")
                    .isPositive());
            assertThat(silentWorst).isBetween(HEAD_LIMIT_MS - 100, HEAD_LIMIT_MS + SLACK_MS);
            assertThat(headWorst).isBetween(HEAD_LIMIT_MS - 100, HEAD_LIMIT_MS + SLACK_MS);
            assertThat(bodyWorst).isBetween(BODY_LIMIT_MS - 100, BODY_LIMIT_MS + SLACK_MS);
            assertThat(idleWorst).isBetween(IDLE_LIMIT_MS - 100, IDLE_LIMIT_MS + SLACK_MS);
        }
    }

    @Test
    void aClientThatSendsInTimeIsServedOnAKeptAliveConnection() throws Exception {
        try (KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), Duration.ofSeconds(2))) {
            for (int i = 0; i < 3; i++) {
                // the client's own pause, in real time (the server's limits run on Netty's timers, which no test
                // clock drives): three pauses of half the head limit outlast it, so the head's deadline must
                // start at each request's first byte, not at the connection's opening
                Thread.sleep(HEAD_LIMIT_MS / 2);
                KeptAliveConnection.Answer answer = connection.exchange(head("POST", "/upload/in-time",
                        "Content-Length: 2\r\n").replace("X-User-Id: slow", "X-User-Id: prompt") + "ok");
                assertThat(answer).isNotNull();
                assertThat(answer.status()).isEqualTo(200);
            }
        }
    }

    private static void awaitClosed(List<SlowClients.Connection> connections, long withinMillis) {
        Awaitility.await().atMost(Duration.ofMillis(withinMillis)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(connections).as("connections the server closed")
                        .allMatch(SlowClients.Connection::closed));
    }

    private static long worst(List<SlowClients.Connection> connections, ToLongFunction<SlowClients.Connection> millis) {
        return connections.stream().mapToLong(millis).max().orElseThrow();
    }
}
