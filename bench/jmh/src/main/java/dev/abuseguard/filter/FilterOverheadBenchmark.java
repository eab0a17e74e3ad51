package dev.abuseguard.filter;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.bench.jmh.SimulatedClock;
import dev.abuseguard.bench.jmh.Users;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AbuseGuard filter's own work, without a network: identity and action resolution, header
 * rendering, the whole filter over the in-memory store, the 403 answer, and (for comparison) the key
 * resolver that the built-in RequestRateLimiter route uses. In the filter's package because the parts
 * are package-private. Requests carry Netty headers (see {@link BenchExchanges}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterOverheadBenchmark {

    private static final String USER_HEADER = "X-User-Id";
    private static final int USERS = 10_000;
    private static final GatewayFilterChain NOTHING_DOWNSTREAM = exchange -> Mono.empty();

    private final SimulatedClock clock = new SimulatedClock();
    private BenchExchanges.NettyRequest[] requests;
    private ServerWebExchange[] exchanges;
    private IdentityResolver identity;
    private RouteActions actions;
    private HttpHeaders responseHeaders;
    private Decision allowed;
    private Decision blocked;
    private Action action;
    private GatewayFilter filter;
    private UserIdKeyResolver keyResolver;
    private ProblemResponses problems;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        AbuseGuardProperties properties = properties();
        LivePolicies policies = new LivePolicies(properties);
        String[] ids = Users.ids(USERS);
        requests = new BenchExchanges.NettyRequest[USERS];
        exchanges = new ServerWebExchange[USERS];
        for (int i = 0; i < USERS; i++) {
            requests[i] = BenchExchanges.get("/guarded/cards/open", USER_HEADER, ids[i]);
            exchanges[i] = BenchExchanges.exchange(requests[i]);
        }
        identity = new IdentityResolver(properties.identity().header(), properties.identity().pattern());
        actions = RouteActions.of(List.of("bench"), null, properties.actionHeader(), policies.current().actions());
        action = policies.current().actions().find("bench").orElseThrow();
        responseHeaders = BenchExchanges.nettyHeaders();
        allowed = Decision.admitted(Users.LIMIT, Users.LIMIT - 1, 60, 0, 0);
        blocked = Decision.blocked(Users.LIMIT, -1, 100);
        ScoringRules rules = ScoringRules.defaults();
        InMemoryDecisionStore store = new InMemoryDecisionStore(clock, () -> rules, 100_000);
        JsonMapper json = new JsonMapper();
        filter = new AbuseGuardGatewayFilterFactory(policies, store, json)
                .apply(new AbuseGuardGatewayFilterFactory.Config().setActions(List.of("bench")));
        keyResolver = new UserIdKeyResolver(policies);
        problems = new ProblemResponses(json);
    }

    /** Bound the way Spring Boot binds routes.yml, so every default applies as in the gateway. */
    private static AbuseGuardProperties properties() {
        Map<String, String> config = Map.of(
                "abuse-guard.identity.header", USER_HEADER,
                "abuse-guard.actions.bench.limit", Long.toString(Users.LIMIT),
                "abuse-guard.actions.bench.window", Users.WINDOW.toMillis() + "ms",
                "abuse-guard.actions.bench.strategy", "token-bucket");
        return new Binder(new MapConfigurationPropertySource(config))
                .bindOrCreate("abuse-guard", AbuseGuardProperties.class);
    }

    private int nextUser() {
        int user = next;
        next = user + 1 == USERS ? 0 : user + 1;
        return user;
    }

    /** X-User-Id read and validated (length, forbidden characters, the configured pattern). */
    @Benchmark
    public String identity() {
        return identity.resolve(requests[nextUser()], IdentityFallback.NONE);
    }

    /** X-Action absent: the route's default action. */
    @Benchmark
    public Action action() {
        return actions.resolve(requests[nextUser()]);
    }

    /** The four headers of an allowed answer, into Netty response headers. */
    @Benchmark
    public HttpHeaders headers() {
        responseHeaders.clear();
        RateLimitHeaders.allowed(responseHeaders, allowed);
        return responseHeaders;
    }

    /** identity + action + headers: the filter's work around the store's decision. */
    @Benchmark
    public void identityActionHeaders(Blackhole hole) {
        BenchExchanges.NettyRequest request = requests[nextUser()];
        hole.consume(identity.resolve(request, IdentityFallback.NONE));
        hole.consume(actions.resolve(request));
        responseHeaders.clear();
        RateLimitHeaders.allowed(responseHeaders, allowed);
        hole.consume(responseHeaders);
    }

    /**
     * AbuseGuardFilter.filter(exchange, chain) subscribed, over the in-memory store (token bucket, as
     * InMemoryStoreBenchmark.decideNow with 10,000 users, 1 ms of simulated time per request) and a chain
     * that does nothing: everything the filter adds to a request except the trip to Redis.
     */
    @Benchmark
    public void wholeFilterInMemory() {
        clock.advance(1);
        filter.filter(exchanges[nextUser()], NOTHING_DOWNSTREAM).subscribe();
    }

    /** The built-in route's key resolver (userIdKeyResolver), for comparison with identity(). */
    @Benchmark
    public Mono<String> userIdKeyResolver() {
        return keyResolver.resolve(exchanges[nextUser()]);
    }

    /** A fresh exchange (the 403 answer commits its response, so it needs one): baseline for blockedAnswer. */
    @Benchmark
    public ServerWebExchange freshExchange() {
        return BenchExchanges.exchange(requests[nextUser()]);
    }

    /** The 403 of a blocked user: status, headers, RFC 9457 body through Jackson, written; includes freshExchange. */
    @Benchmark
    public void blockedAnswer() {
        problems.blocked(BenchExchanges.exchange(requests[nextUser()]), action, blocked).subscribe();
    }
}
