package dev.abuseguard.gateway.testsupport;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The start-up every end-to-end test class shares: Redis, a WireMock backend, the gateway on a routes file, started
 * once before the class's tests and stopped after them. A class declares only what differs from the defaults:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GatewayExtension gateway = GatewayExtension.onTestRoutes().with("--abuse-guard.admin.label=ops-alice");
 * }</pre>
 *
 * <p>The defaults: the shared {@code redis-server}, emptied before the class starts (a gateway copies the active
 * blocks from Redis when it starts; emptied then, not when the class loads, so that another class may read this
 * one's routes without emptying Redis under its own tests); a backend that answers every request with 200 "ok";
 * {@code abuse-guard.store.redis.timeout} {@value #STORE_TIMEOUT}; the admin token {@value #ADMIN_TOKEN}; one
 * instance; the system clock. The extension must be registered on a static field: a gateway takes seconds to
 * start, so it starts once per class, never per test; what a test needs emptied ({@code redis().flushAll()},
 * {@code backend().resetAll()}) it empties in its own {@code @BeforeEach}.
 */
public final class GatewayExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The admin token of every test gateway that does not test the token itself. */
    public static final String ADMIN_TOKEN = "test-admin-token";
    /**
     * Redis's time limit in the tests: the shipped 250 ms is met on a quiet machine, but a test run loads two cores
     * with several JVMs, and a healthy Redis must never look down. Tests of slow or failing Redis set their own.
     */
    public static final String STORE_TIMEOUT = "2s";

    private enum Store { SHARED, OWN, NONE }

    private final IntFunction<String> routes;
    private final List<Function<GatewayExtension, List<String>>> args = new ArrayList<>();
    private String storeTimeout = STORE_TIMEOUT;
    private Store store = Store.SHARED;
    private boolean stubbedBackend;
    private boolean withWebhook;
    private Clock clock;
    private int instances = 1;

    private RedisServer redis;
    private int redisPort;
    private WireMockServer backend;
    private WireMockServer webhook;
    private final List<GatewayApp> apps = new ArrayList<>();
    private final List<WebTestClient> clients = new ArrayList<>();

    private GatewayExtension(IntFunction<String> routes) {
        this.routes = routes;
    }

    /** On the test routes ({@link TestRoutes}): the contract's shapes with small limits, all to the backend. */
    public static GatewayExtension onTestRoutes() {
        return new GatewayExtension(TestRoutes::to);
    }

    /** On the {@code routes.yml} the project ships, every backend pointed at the one WireMock backend. */
    public static GatewayExtension onShippedRoutes() {
        GatewayExtension extension = new GatewayExtension(port -> ShippedRoutes.yaml());
        extension.args.add(g -> List.of(ShippedRoutes.backendsAt(g.backend().port())));
        return extension;
    }

    /** On a routes file of the class's own, given the backend's port. */
    public static GatewayExtension onRoutes(IntFunction<String> routesForBackendPort) {
        return new GatewayExtension(routesForBackendPort);
    }

    /**
     * More {@code --name=value} arguments, after the defaults. Never one of the defaults again: a property given
     * twice on the command line reads as both values joined by a comma; {@link #storeTimeout(String)} sets the time
     * limit.
     */
    public GatewayExtension with(String... more) {
        List<String> fixed = List.of(more);
        args.add(g -> fixed);
        return this;
    }

    /** An argument known only once the servers run, e.g. the webhook's URL. */
    public GatewayExtension with(Function<GatewayExtension, String> late) {
        args.add(g -> List.of(late.apply(g)));
        return this;
    }

    /** {@code abuse-guard.store.redis.timeout}, for the tests of slow or failing Redis. */
    public GatewayExtension storeTimeout(String timeout) {
        this.storeTimeout = timeout;
        return this;
    }

    /** The gateway's own time limit for Redis, as shipped (the argument is not passed at all). */
    public GatewayExtension shippedStoreTimeout() {
        this.storeTimeout = null;
        return this;
    }

    /** A {@code redis-server} of the class's own, stopped after it: for tests that stop, freeze or fill Redis. */
    public GatewayExtension ownRedis() {
        this.store = Store.OWN;
        return this;
    }

    /** No Redis at all: the gateway is pointed at a free port nobody listens on. */
    public GatewayExtension noRedis() {
        this.store = Store.NONE;
        return this;
    }

    /** A backend without stubs: the class stubs it (again after each {@code resetAll()}). */
    public GatewayExtension stubbedBackend() {
        this.stubbedBackend = true;
        return this;
    }

    /** A second WireMock server without stubs, for the alerts' webhook: {@link #webhook()}. */
    public GatewayExtension withWebhook() {
        this.withWebhook = true;
        return this;
    }

    /** The gateway's clock ({@code abuseGuardClock}), for tests that move time. */
    public GatewayExtension clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** How many gateways to start on the same configuration and the same Redis: {@link #app(int)}. */
    public GatewayExtension instances(int count) {
        this.instances = count;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = switch (store) {
            case SHARED -> RedisServer.sharedEmpty();
            case OWN -> RedisServer.start();
            case NONE -> null;
        };
        redisPort = redis == null ? RedisServer.freePort() : redis.port();
        backend = stubbedBackend ? Backends.started() : Backends.answeringOk();
        if (withWebhook) {
            webhook = Backends.started();
        }
        for (int i = 0; i < instances; i++) {
            startAnother();
        }
    }

    /** On an instance field JUnit never calls {@link #beforeAll}: say so, rather than fail on a missing gateway. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (apps.isEmpty()) {
            throw new IllegalStateException("GatewayExtension starts once per class: register it on a static field");
        }
    }

    /**
     * One more instance on the same routes, Redis, backend, clock and arguments, with {@code more} arguments after
     * them; stopped with the others after the class. For an instance started late, or configured a little apart.
     */
    public GatewayApp startAnother(String... more) {
        List<String> arguments = arguments();
        arguments.addAll(List.of(more));
        String yaml = routes.apply(backend.port());
        String[] args = arguments.toArray(String[]::new);
        GatewayApp app = clock == null ? GatewayApp.start(yaml, redisPort, args)
                : GatewayApp.start(yaml, redisPort, clock, args);
        apps.add(app);
        clients.add(app.client());
        return app;
    }

    /**
     * The default arguments, then {@code more} (not one of the defaults again): for the few classes that start gateways
     * their own way (per test,
     * on a cluster, behind sentinels, several configurations apart) and share the defaults all the same.
     */
    public static String[] defaults(String... more) {
        List<String> all = new ArrayList<>(List.of("--abuse-guard.store.redis.timeout=" + STORE_TIMEOUT,
                "--abuse-guard.admin.token=" + ADMIN_TOKEN));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The arguments every instance starts with: the defaults, then the class's own. */
    public List<String> arguments() {
        List<String> all = new ArrayList<>();
        if (storeTimeout != null) {
            all.add("--abuse-guard.store.redis.timeout=" + storeTimeout);
        }
        all.add("--abuse-guard.admin.token=" + ADMIN_TOKEN);
        for (Function<GatewayExtension, List<String>> arg : args) {
            all.addAll(arg.apply(this));
        }
        return all;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<GatewayApp> started = new ArrayList<>(apps);
        Collections.reverse(started);
        started.forEach(GatewayApp::close);
        apps.clear();
        clients.clear();
        // null checks: this runs after a start that failed halfway too
        if (webhook != null) {
            webhook.stop();
        }
        if (backend != null) {
            backend.stop();
        }
        if (store == Store.OWN && redis != null) {
            redis.close();
        }
    }

    /** The Redis the gateways use; {@code null} with {@link #noRedis()}. */
    public RedisServer redis() {
        return redis;
    }

    /** The port the gateways' Redis is on (with {@link #noRedis()}, the one nobody listens on). */
    public int redisPort() {
        return redisPort;
    }

    public WireMockServer backend() {
        return backend;
    }

    public WireMockServer webhook() {
        if (webhook == null) {
            throw new IllegalStateException("no webhook: declare withWebhook()");
        }
        return webhook;
    }

    /** The first (or only) gateway. */
    public GatewayApp app() {
        return app(0);
    }

    public GatewayApp app(int index) {
        return apps.get(index);
    }

    /** With {@link #instances(int)}: the first instance, as the tests of several instances call it. */
    public GatewayApp first() {
        return app(0);
    }

    public GatewayApp second() {
        return app(1);
    }

    /** The first gateway's port. */
    public int port() {
        return app().port();
    }

    public String baseUrl() {
        return app().baseUrl();
    }

    public WebClient webClient() {
        return app().webClient();
    }

    /** See {@link GatewayApp#flushTrends()}. */
    public void flushTrends() {
        app().flushTrends();
    }

    /** See {@link GatewayApp#rewriteRoutes(String)}: the first gateway's routes file. */
    public void rewriteRoutes(String routesYaml) {
        app().rewriteRoutes(routesYaml);
    }

    public <T> T bean(Class<T> type) {
        return app().bean(type);
    }

    /** A client of the first gateway, the same one for the whole class (as a bot keeps its connection pool). */
    public WebTestClient client() {
        return client(0);
    }

    public WebTestClient client(int index) {
        return clients.get(index);
    }

    /** A client of the first gateway that sends the admin token. */
    public WebTestClient admin() {
        return admin(0);
    }

    public WebTestClient admin(int index) {
        return client(index).mutate().defaultHeader("Authorization", bearer()).build();
    }

    /** The {@code Authorization} header's value for the admin. */
    public static String bearer() {
        return "Bearer " + ADMIN_TOKEN;
    }
}
