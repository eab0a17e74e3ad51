package dev.abuseguard.gateway.redis;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.TlsRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis as managed services run it: TLS only, a client certificate demanded, an ACL user and the default
 * user off. One gateway reaches it through an SSL bundle and host/port/username/password, another through
 * a {@code rediss://} URL carrying the credentials (the bundle only to trust the test's CA): both decide in
 * that one Redis. Wrong credentials and an unknown bundle are told apart, not left to a silent fallback.
 */
class RedisTlsEndToEndTest {

    private static TlsRedisServer redis;
    private static WireMockServer backend;
    private static GatewayApp viaBundle;
    private static GatewayApp viaUrl;
    private static final List<GatewayApp> started = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = TlsRedisServer.start();
        backend = Backends.answeringOk();
        List<String> hostAndUser = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + redis.port(), "--spring.data.redis.username=" + TlsRedisServer.USER,
                "--spring.data.redis.password=" + TlsRedisServer.PASSWORD));
        hostAndUser.addAll(bundle());
        viaBundle = keep(GatewayApp.startWithRedis(TestRoutes.to(backend.port()), hostAndUser));
        List<String> url = new ArrayList<>(List.of("--spring.data.redis.url=rediss://" + TlsRedisServer.USER + ":"
                + TlsRedisServer.PASSWORD + "@127.0.0.1:" + redis.port()));
        url.addAll(bundle());
        viaUrl = keep(GatewayApp.startWithRedis(TestRoutes.to(backend.port()), url));
    }

    /** The test's CA to trust, and the client certificate the server demands (the bundle's keystore). */
    private static List<String> bundle() {
        return List.of("--spring.data.redis.ssl.bundle=redis",
                "--spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.file("ca.crt"),
                "--spring.ssl.bundle.pem.redis.keystore.certificate=file:" + redis.file("client.crt"),
                "--spring.ssl.bundle.pem.redis.keystore.private-key=file:" + redis.file("client.pk8"));
    }

    private static GatewayApp keep(GatewayApp app) {
        started.add(app);
        return app;
    }

    @AfterAll
    static void stop() {
        started.forEach(GatewayApp::close);
        if (backend != null) {
            backend.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void bothGatewaysDecideInTheTlsRedisTogether() {
        for (GatewayApp app : List.of(viaBundle, viaUrl)) {
            Awaitility.await("health UP over TLS").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    app.client().get().uri("/actuator/health").exchange()
                            .expectBody().jsonPath("$.status").isEqualTo("UP"));
        }
        viaBundle.client().get().uri("/tiny").header("X-User-Id", "tls-user").exchange()
                .expectStatus().isOk().expectHeader().valueEquals("X-RateLimit-Remaining", "0");
        // the other instance sees the spent quota: the decision was made in the shared Redis
        viaUrl.client().get().uri("/tiny").header("X-User-Id", "tls-user").exchange()
                .expectStatus().isEqualTo(429).expectHeader().valueEquals("X-Abuse-Score", "10");
        viaBundle.client().get().uri("/tiny").header("X-User-Id", "tls-user").exchange()
                .expectStatus().isEqualTo(429).expectHeader().valueEquals("X-Abuse-Score", "25");
        assertThat(redis.run("GET", "ag:{u:tls-user}:abuse").get(0)).startsWith("25:");
        assertThat(Long.parseLong(redis.run("PTTL", "ag:{u:tls-user}:abuse").get(0))).isPositive();
    }

    @Test
    void refusedCredentialsShowInHealthAsDegradedWithTheReason() {
        List<String> args = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + redis.port(), "--spring.data.redis.username=" + TlsRedisServer.USER,
                "--spring.data.redis.password=wrong", "--abuse-guard.admin.token=" + ADMIN_TOKEN));
        args.addAll(bundle());
        GatewayApp refused = keep(GatewayApp.startWithRedis(TestRoutes.to(backend.port()), args));
        refused.client().get().uri("/tiny").header("X-User-Id", "refused").exchange().expectStatus().isOk();
        Awaitility.await("the reason in health").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                refused.client().get().uri("/actuator/health").header("Authorization", GatewayExtension.bearer())
                        .exchange().expectBody()
                        .jsonPath("$.components.abuseGuardStore.status").isEqualTo("DEGRADED")
                        .jsonPath("$.components.abuseGuardStore.details.reason").value(reason ->
                                assertThat((String) reason).contains("refused the credentials")));
    }

    @Test
    void anUnknownBundleStopsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> keep(GatewayApp.startWithRedis(TestRoutes.to(backend.port()), List.of(
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.ssl.bundle=nosuch"))))
                .rootCause().hasMessageContaining("nosuch");
        assertThatThrownBy(() -> keep(GatewayApp.startWithRedis(TestRoutes.to(backend.port()), List.of(
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.ssl.bundle=broken",
                "--spring.ssl.bundle.pem.broken.truststore.certificate=file:/no/such/ca.crt"))))
                .satisfies(e -> assertThat(messages(e)).contains("spring.data.redis.ssl.bundle")
                        .contains("/no/such/ca.crt"));
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
