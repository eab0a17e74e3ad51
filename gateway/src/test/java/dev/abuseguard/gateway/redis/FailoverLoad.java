package dev.abuseguard.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.testsupport.RedisServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a Redis failover costs the clients of gateway instances on it: a few clients, each sending one request
 * after another to the instances in turn, on the {@code local}-fallback action {@code steady}, for a bounded
 * time; every answer is recorded (a connection error or no answer within 5 s counts as a failure), and the
 * time from the kill until each instance decides on the promoted node again. Then the figures, printed as
 * {@code FIGURES <name>: ...}, and the exactness of the instances together after the failover.
 */
final class FailoverLoad implements AutoCloseable {

    private static final Duration REQUEST_WAIT = Duration.ofSeconds(5);
    private static final int NO_ANSWER = -1;
    private static final int CONNECTION_ERROR = -2;

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Disposable load;
    private volatile boolean stopped;

    record Sample(int status, long millis) {
    }

    private FailoverLoad(List<GatewayApp> instances, int clients, Duration atMost) {
        List<WebClient> webClients = instances.stream().map(GatewayApp::webClient).toList();
        AtomicInteger sequence = new AtomicInteger();
        long deadline = System.nanoTime() + atMost.toNanos();
        load = Flux.range(0, clients)
                .flatMap(worker -> Mono.defer(() -> {
                    int n = sequence.incrementAndGet();
                    // 60 users per client: their hash tags spread over every master of a cluster
                    String user = "load-" + worker + "-" + (n % 60);
                    long start = System.nanoTime();
                    return webClients.get(n % webClients.size()).get().uri("/steady/x").header("X-User-Id", user)
                            .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                            .timeout(REQUEST_WAIT, Mono.just(NO_ANSWER))
                            .onErrorResume(error -> Mono.just(CONNECTION_ERROR))
                            .doOnNext(status -> samples.add(new Sample(status,
                                    (System.nanoTime() - start) / 1_000_000)));
                }).repeat(() -> !stopped && System.nanoTime() < deadline), clients)
                .subscribe();
    }

    /** Starts {@code clients} clients on the instances; they stop by {@link #close()} or after {@code atMost}. */
    static FailoverLoad start(List<GatewayApp> instances, int clients, Duration atMost) {
        return new FailoverLoad(instances, clients, atMost);
    }

    int served() {
        return samples.size();
    }

    List<Sample> failures() {
        return samples.stream().filter(sample -> sample.status() != 200).toList();
    }

    long worstMillis() {
        return samples.stream().mapToLong(Sample::millis).max().orElse(0);
    }

    /** Waits until the clients have had {@code count} answers (the load runs). */
    void awaitServed(int count) {
        Awaitility.await("load answered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> samples.size() >= count);
    }

    /**
     * The milliseconds from {@code killedAt} until a request on {@code instance}, of a user never seen before
     * (the next of {@code probes}), left its keys on the node {@code nodeFor} names for that user: a decision
     * made there, by the instance on its own (nobody tells it). At most {@code atMost}; the caller asserts the
     * bound once the figure is printed.
     */
    static long millisUntilDecidingOn(GatewayApp instance, Iterator<String> probes,
                                      Function<String, RedisServer> nodeFor, long killedAt, Duration atMost) {
        WebClient client = instance.webClient();
        Awaitility.await("decisions back in Redis").atMost(atMost).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    String user = probes.next();
                    client.get().uri("/packs/x").header("X-User-Id", user).retrieve().toBodilessEntity()
                            .block(REQUEST_WAIT);
                    return hasKeys(nodeFor.apply(user), user);
                });
        return (System.nanoTime() - killedAt) / 1_000_000;
    }

    /**
     * Every event loop's decision connection of the instance decides on Redis: health says the store decides
     * (breaker closed, no failure since), and a batch of 16 concurrent requests (spread over the server's
     * event loops by their connections) all leave their keys where {@code nodeFor} says.
     */
    static void awaitEveryLaneOn(GatewayApp instance, String token, Function<String, RedisServer> nodeFor,
                                 String prefix, Duration atMost) {
        WebClient client = instance.webClient();
        AtomicInteger batch = new AtomicInteger();
        Awaitility.await("every lane deciding on Redis (" + prefix + ")").atMost(atMost)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    // requests first: an open breaker moves to half-open, and probes, only when a decision asks
                    int round = batch.incrementAndGet();
                    List<String> users = IntStream.range(0, 16).mapToObj(i -> prefix + round + "-" + i).toList();
                    Flux.fromIterable(users).flatMap(user -> client.get().uri("/packs/x").header("X-User-Id", user)
                            .retrieve().toBodilessEntity(), 16).then().block(REQUEST_WAIT);
                    String health = client.get().uri("/actuator/health").header("Authorization", "Bearer " + token)
                            .retrieve().bodyToMono(String.class).block(REQUEST_WAIT);
                    return "UP".equals(JsonPath.read(health, "$.components.abuseGuardStore.status"))
                            && users.stream().allMatch(user -> hasKeys(nodeFor.apply(user), user));
                });
    }

    static boolean hasKeys(RedisServer node, String user) {
        return !node.keys("ag:{u:" + user + "}:*").isEmpty();
    }

    /**
     * {@code 2 * limit} requests of one user at once, alternating between the two instances, on the
     * {@code exact_tb} action (5 an hour): exactly {@code limit} pass, and none was decided from memory.
     */
    static void assertExactAcross(GatewayApp first, GatewayApp second, String user) {
        int limit = 5;
        double fallbacksBefore = fallbacks(first) + fallbacks(second);
        List<WebClient> both = List.of(first.webClient(), second.webClient());
        List<Integer> statuses = Flux.range(0, 2 * limit)
                .flatMap(i -> both.get(i % 2).post().uri("/exact/go").header("X-User-Id", user)
                        .header("X-Action", "exact_tb")
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 2 * limit)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(Collections.frequency(statuses, 200))
                .as("admitted of %d at once across both instances, by status %s",
                2 * limit, statuses.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
                .isEqualTo(limit);
        assertThat(statuses).as("the rest are rate limited").containsOnly(200, 429);
        assertThat(fallbacks(first) + fallbacks(second)).as("decisions made from memory meanwhile")
                .isEqualTo(fallbacksBefore);
    }

    /** Decisions not made on Redis so far ({@code abuseguard.store.fallbacks}, every mode and reason). */
    static double fallbacks(GatewayApp instance) {
        return instance.bean(MeterRegistry.class).find("abuseguard.store.fallbacks").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Prints the figures docs/redis.md quotes, and asserts the failover cost the clients nothing. */
    void reportAndAssert(String name, long millisBackOnRedis, double fallbacks) {
        stopped = true;
        List<Sample> failed = failures();
        System.out.printf("FIGURES %s: requests served %d, failures %d, worst latency %d ms, "
                        + "decisions back in Redis on the promoted node %d ms after the kill "
                        + "(decided from memory meanwhile: %.0f)%n",
                name, served(), failed.size(), worstMillis(), millisBackOnRedis, fallbacks);
        assertThat(served()).as("requests served during the failover").isGreaterThan(50);
        assertThat(failed).as("failed requests on the local action (status -1: no answer in 5 s, -2: connection error)")
                .isEmpty();
        assertThat(millisBackOnRedis).as("time until decisions were back in Redis").isLessThanOrEqualTo(15_000);
    }

    @Override
    public void close() {
        stopped = true;
        load.dispose();
    }
}
