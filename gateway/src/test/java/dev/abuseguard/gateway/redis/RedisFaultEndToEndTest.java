package dev.abuseguard.gateway.redis;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Redis dies (SIGKILL) or hangs (SIGSTOP) under steady concurrent load: {@code local} actions keep
 * answering without a 5xx and without waiting past the time limit, {@code deny} actions get 503, and
 * once Redis is back the gateway decides on Redis again by itself.
 */
class RedisFaultEndToEndTest {

    private static final long TIME_LIMIT_MS = 100;
    /**
     * Scheduling slack on a 2-core machine that also runs the load, the backend and the test (quiet, the
     * worst wait measured 163 ms); a request waiting on the dead or hung Redis would take 2 s or more.
     */
    private static final long MARGIN_MS = 600;
    private static final Duration WAIT_IN_OPEN = Duration.ofSeconds(1);

    private RedisServer redis;
    private WireMockServer backend;
    private GatewayApp gateway;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> phase = new AtomicReference<>("healthy");
    private Disposable load;

    record Sample(String phase, String path, int status, long millis) {
    }

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        backend.start();
        Backends.answerOk(backend);
        gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(),
                "--abuse-guard.store.redis.timeout=" + TIME_LIMIT_MS + "ms",
                "--abuse-guard.store.redis.wait-in-open-state=" + WAIT_IN_OPEN.toMillis() + "ms",
                "--abuse-guard.admin.token=" + ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        if (load != null) {
            load.dispose();
        }
        gateway.close();
        backend.stop();
        redis.close();
    }

    /** Eight clients, each sending one request after another, half on a local action, half on a deny action. */
    private void startLoad() {
        WebClient client = gateway.webClient();
        AtomicInteger sequence = new AtomicInteger();
        load = Flux.range(0, 8)
                .flatMap(worker -> Mono.defer(() -> {
                    String path = worker % 2 == 0 ? "/steady/x" : "/steady-pay/x";
                    String user = "user-" + worker + "-" + (sequence.incrementAndGet() % 50);
                    String during = phase.get();
                    long start = System.nanoTime();
                    return client.get().uri(path).header("X-User-Id", user)
                            .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                            .timeout(Duration.ofSeconds(5), Mono.just(-1))
                            .doOnNext(status -> samples.add(new Sample(during, path, status,
                                    (System.nanoTime() - start) / 1_000_000)));
                }).repeat(), 8)
                .subscribe();
    }

    private void runFor(String name, Duration duration) {
        phase.set(name);
        long until = System.nanoTime() + duration.toNanos();
        Awaitility.await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> System.nanoTime() >= until);
    }

    private List<Sample> during(String name, String path) {
        return samples.stream().filter(s -> s.phase().equals(name) && s.path().equals(path)).toList();
    }

    private long worstMillis(String name, String path) {
        return during(name, path).stream().mapToLong(Sample::millis).max().orElseThrow();
    }

    /**
     * Brings Redis back and measures until a request is decided on Redis again: a probe from a new
     * user each time, until that user's keys are in Redis (on pack_create, whose bucket key lives 12
     * minutes; a token bucket's key lives only until the bucket is full again).
     */
    private long millisUntilDecidingOnRedis(Runnable bringBack) {
        WebClient client = gateway.webClient();
        AtomicInteger probe = new AtomicInteger();
        long start = System.nanoTime();
        bringBack.run();
        Awaitility.await().atMost(WAIT_IN_OPEN.plusSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String user = "probe-" + probe.incrementAndGet();
            client.get().uri("/packs/x").header("X-User-Id", user).retrieve().toBodilessEntity()
                    .block(Duration.ofSeconds(5));
            try {
                return !redis.keys("ag:{u:" + user + "}:*").isEmpty();
            } catch (IllegalStateException notUpYet) {
                return false;
            }
        });
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void assertNoLocalFailureAndNoLongWait(String name) {
        List<Sample> local = during(name, "/steady/x");
        assertThat(local).as("requests during %s", name).hasSizeGreaterThan(20);
        assertThat(local).as("local action during %s", name).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
        assertThat(worstMillis(name, "/steady/x")).as("worst wait of the local action during %s", name)
                .isLessThanOrEqualTo(TIME_LIMIT_MS + MARGIN_MS);
        assertThat(during(name, "/steady-pay/x")).as("deny action during %s", name)
                .allSatisfy(s -> assertThat(s.status()).isIn(200, 503))
                .anySatisfy(s -> assertThat(s.status()).isEqualTo(503));
        assertThat(worstMillis(name, "/steady-pay/x")).isLessThanOrEqualTo(TIME_LIMIT_MS + MARGIN_MS);
    }

    @Test
    void aKilledRedisIsRiddenOutAndPickedUpAgainWhenItRestarts() {
        startLoad();
        runFor("healthy", Duration.ofSeconds(1));
        assertThat(during("healthy", "/steady/x")).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));

        redis.kill();
        runFor("killed", Duration.ofSeconds(3));
        assertNoLocalFailureAndNoLongWait("killed");
        gateway.client().get().uri("/actuator/health").header("Authorization", GatewayExtension.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.abuseGuardStore.status").isEqualTo("DEGRADED");

        phase.set("recovering");
        long recovery = millisUntilDecidingOnRedis(redis::restart);
        System.out.printf("FIGURES kill: worst local %d ms, worst deny %d ms, requests %d; back on Redis after %d ms%n",
                worstMillis("killed", "/steady/x"), worstMillis("killed", "/steady-pay/x"),
                during("killed", "/steady/x").size() + during("killed", "/steady-pay/x").size(), recovery);
        assertThat(recovery).isLessThanOrEqualTo(WAIT_IN_OPEN.toMillis() + 5_000);
        gateway.client().get().uri("/actuator/health").header("Authorization", GatewayExtension.bearer()).exchange()
                .expectBody().jsonPath("$.components.abuseGuardStore.status").isEqualTo("UP");
    }

    @Test
    void aHungRedisCostsNoRequestMoreThanTheTimeLimitAndIsPickedUpAgainWhenItWakes() {
        startLoad();
        runFor("healthy", Duration.ofSeconds(1));

        redis.pause();
        runFor("hung", Duration.ofSeconds(3));
        phase.set("recovering");
        long recovery = millisUntilDecidingOnRedis(redis::resume);

        System.out.printf("FIGURES stop: worst local %d ms, worst deny %d ms, requests %d; back on Redis after %d ms%n",
                worstMillis("hung", "/steady/x"), worstMillis("hung", "/steady-pay/x"),
                during("hung", "/steady/x").size() + during("hung", "/steady-pay/x").size(), recovery);
        assertNoLocalFailureAndNoLongWait("hung");
        assertThat(recovery).isLessThanOrEqualTo(WAIT_IN_OPEN.toMillis() + 5_000);
    }
}
