package dev.abuseguard.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.AuditEvent;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.audit.InMemoryAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.overrides.KnownOverrides;
import dev.abuseguard.overrides.OverridingDecisionStore;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverride;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.TestPolicies;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class DecisionChainTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final LivePolicies policies = TestPolicies.of(Map.of("actions.trade.limit", "2",
            "actions.trade.window", "1m", "actions.trade.strategy", "fixed-window"));
    private final Action trade = policies.current().actions().find("trade").orElseThrow();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryAuditTrail trail = new InMemoryAuditTrail(100);
    private final AbuseEvents events = new AbuseEvents(trail,
            WebhookAlerts.to(null, null, Retry.ofDefaults("off"), 1, Duration.ofSeconds(5), meters), clock);
    private final InMemoryDecisionStore local = new InMemoryDecisionStore(clock, policies::rules, 1000);
    private final ScriptedSharedStore shared = new ScriptedSharedStore();
    private final ScriptedSharedBlocks blocks = new ScriptedSharedBlocks();
    private final CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(2).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build());

    /** A shared store whose next answers the test sets; counts what reaches it. */
    private static final class ScriptedSharedStore implements SharedDecisionStore {
        final List<Decision> answers = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger warmUps = new AtomicInteger();
        volatile boolean failing;
        volatile CompletableFuture<Decision> pending;

        @Override
        public CompletableFuture<Decision> decideAsync(String userId, Action action, Spend spend) {
            calls.incrementAndGet();
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }
            if (pending != null) {
                CompletableFuture<Decision> answer = pending;
                pending = null;
                return answer;
            }
            return CompletableFuture.completedFuture(answers.isEmpty() ? Decision.unmetered(action.quota().limit())
                    : answers.remove(0));
        }

        @Override
        public Mono<Void> warmUp() {
            return Mono.fromRunnable(warmUps::incrementAndGet);
        }

        @Override
        public boolean isTimeout(Throwable failure) {
            return false;
        }
    }

    /** The shared store's blocks: those the test says are active, news the test sends, what the chain writes. */
    private static final class ScriptedSharedBlocks implements SharedBlocks {
        final Map<String, KnownBlocks.Block> active = new ConcurrentHashMap<>();
        final Map<String, KnownBlocks.Block> recorded = new ConcurrentHashMap<>();
        final Map<String, KnownBlocks.Block> refused = new ConcurrentHashMap<>();
        /** As the shared store refuses a block of a user it exempts. */
        volatile boolean refusing;
        final Sinks.Many<News> news = Sinks.many().multicast().directBestEffort();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Mono<Map<String, KnownBlocks.Block>> active() {
            return Mono.fromSupplier(() -> {
                reads.incrementAndGet();
                return Map.copyOf(active);
            });
        }

        @Override
        public Flux<News> news() {
            return news.asFlux();
        }

        @Override
        public Mono<Boolean> record(String userId, KnownBlocks.Block block) {
            return Mono.fromSupplier(() -> {
                if (refusing) {
                    refused.put(userId, block);
                    return false;
                }
                recorded.put(userId, block);
                active.put(userId, block); // as the shared store then knows it
                return true;
            });
        }

        void clear(String userId) {
            news.tryEmitNext(new News(userId, null));
        }
    }

    /** The architecture page's table of links is the chain's, in the order a decision meets them. */
    @Test
    void theArchitecturePageListsTheLinksInTheOrderTheChainRuns() throws Exception {
        List<String> documented = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("../docs/architecture.md"))) {
            String row = line.trim();
            if (row.startsWith("| link | class |")) {
                inTable = true;
            } else if (inTable && row.startsWith("|") && !row.startsWith("|---")) {
                documented.add(row.split("\\|")[1].trim());
            } else if (inTable && !row.startsWith("|")) {
                break;
            }
        }
        try (DecisionChain withRedis = chain();
             DecisionChain alone = DecisionChain.builder(local, events, policies, meters, clock).build()) {
            assertThat(withRedis.links()).extracting(DecisionChain.Link::title).containsExactlyElementsOf(documented);
            assertThat(alone.links()).extracting(DecisionChain.Link::title)
                    .containsExactly("observed", "shadow mode", "global limits", "overrides", "local store");
        }
    }

    /** A chain past its first reload of blocks, which it starts when built, as a gateway is once it serves. */
    private DecisionChain chain() {
        DecisionChain chain = DecisionChain.builder(local, events, policies, meters, clock)
                .shared(shared, breaker, blocks).blocks(Duration.ofHours(1), 100).build();
        Awaitility.await().atMost(WAIT).until(() -> blocks.reads.get() >= 1);
        return chain;
    }

    private static Decision blockedFor(long millis) {
        return Decision.blocked(2, millis, 100);
    }

    private Decision decide(DecisionChain chain, String user) {
        return chain.decide(user, trade).block(WAIT);
    }

    @Test
    void aBlockTheSharedStoreReportedIsAnsweredHereUntilItEnds() {
        DecisionChain chain = chain();
        shared.answers.add(blockedFor(30_000));

        assertThat(decide(chain, "mallory").outcome()).isEqualTo(Outcome.BLOCKED);
        clock.advanceMillis(10_000);
        Decision cached = decide(chain, "mallory");

        assertThat(cached.outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(cached.retryAfterMillis()).isEqualTo(20_000);
        assertThat(shared.calls).hasValue(1);
        clock.advanceMillis(20_000);
        assertThat(decide(chain, "mallory").outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(shared.calls).hasValue(2);
        assertThat(shared.warmUps).as("warmed up once, when built").hasValue(1);
    }

    @Test
    void anInvalidationSendsTheUserBackToTheSharedStoreUntilTheChainIsClosed() {
        DecisionChain chain = chain();
        shared.answers.add(blockedFor(-1));
        decide(chain, "mallory");

        blocks.clear("mallory");
        assertThat(decide(chain, "mallory").outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(shared.calls).hasValue(2);

        shared.answers.add(blockedFor(-1));
        decide(chain, "mallory");
        chain.close();
        blocks.clear(SharedBlocks.News.EVERYONE);
        assertThat(decide(chain, "mallory").outcome()).as("a closed chain hears no invalidations")
                .isEqualTo(Outcome.BLOCKED);
        assertThat(shared.calls).hasValue(3);
    }

    @Test
    void anUnbanHeardWhileADecisionIsInFlightIsNotUndoneByThatDecisionsOlderReply() {
        DecisionChain chain = chain();
        CompletableFuture<Decision> inFlight = new CompletableFuture<>();
        shared.pending = inFlight;
        CompletableFuture<Decision> first = chain.decide("mallory", trade).toFuture();

        blocks.clear("mallory"); // the unban reaches this instance first
        inFlight.complete(blockedFor(-1)); // then the reply of a decision Redis made before the unban

        assertThat(first.join().outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(decide(chain, "mallory").outcome()).as("asks the shared store again").isEqualTo(Outcome.ALLOWED);
        assertThat(shared.calls).hasValue(2);
    }

    @Test
    void usersBlockedInTheSharedStoreAreRefusedForAsLongAsAnOutageLastsEvenIfNeverSeenHere() {
        blocks.active.put("banned", new KnownBlocks.Block(-1, 40));
        blocks.active.put("timed", new KnownBlocks.Block(clock.millis() + 60_000, 100));
        DecisionChain chain = chain();
        await().atMost(WAIT).until(() -> blocks.reads.get() == 1);
        shared.failing = true;

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(10)); // far past any cache's safety interval
            Decision banned = decide(chain, "banned");
            assertThat(banned.outcome()).isEqualTo(Outcome.BLOCKED);
            assertThat(banned.abuseScore()).isEqualTo(40);
        }
        assertThat(decide(chain, "timed").outcome()).as("a timed block still ends").isEqualTo(Outcome.ALLOWED);
        assertThat(shared.calls).as("only the unknown user went to the failing store").hasValue(1);
    }

    @Test
    void aBlockDecidedLocallyDuringAnOutageIsWrittenToTheSharedStoreWhenItIsBack() {
        LivePolicies strict = TestPolicies.of(Map.of("actions.trade.limit", "1", "actions.trade.window", "1h",
                "actions.trade.strategy", "fixed-window"));
        InMemoryDecisionStore memory = new InMemoryDecisionStore(clock, strict::rules, 1000);
        Action once = strict.current().actions().find("trade").orElseThrow();
        DecisionChain chain = DecisionChain.builder(memory, events, strict, meters, clock)
                .shared(shared, breaker, blocks).blocks(Duration.ofHours(1), 100).build();
        shared.failing = true;
        for (int i = 0; i < 6; i++) { // 1 allowed, then 10, 25, 45, 70, 100: blocked here
            chain.decide("mallory", once).block(WAIT);
        }
        assertThat(blocks.recorded).isEmpty();

        shared.failing = false;
        breaker.transitionToClosedState();

        await().atMost(WAIT).untilAsserted(() -> assertThat(blocks.recorded).containsEntry("mallory",
                new KnownBlocks.Block(-1, 100)));
        assertThat(chain.decide("mallory", once).block(WAIT).outcome()).isEqualTo(Outcome.BLOCKED);
        assertThat(trail.recent(20).filter(event -> event.type() == EventType.BLOCK).map(AuditEvent::detail)
                .collectList().block(WAIT)).contains("decided locally while the shared store was away");
    }

    @Test
    void aBlockTheSharedStoreRefusesOnRecoveryIsNeitherAuditedNorKeptHere() {
        LivePolicies strict = TestPolicies.of(Map.of("actions.trade.limit", "1", "actions.trade.window", "1h",
                "actions.trade.strategy", "fixed-window"));
        InMemoryDecisionStore memory = new InMemoryDecisionStore(clock, strict::rules, 1000);
        Action once = strict.current().actions().find("trade").orElseThrow();
        DecisionChain chain = DecisionChain.builder(memory, events, strict, meters, clock)
                .shared(shared, breaker, blocks).blocks(Duration.ofHours(1), 100).build();
        await().atMost(WAIT).until(() -> blocks.reads.get() == 1);
        shared.failing = true;
        for (int i = 0; i < 6; i++) {
            chain.decide("vip", once).block(WAIT);
        }
        blocks.refusing = true;

        shared.failing = false;
        breaker.transitionToClosedState();

        await().atMost(WAIT).until(() -> blocks.refused.containsKey("vip") && blocks.reads.get() == 2);
        assertThat(chain.decide("vip", once).block(WAIT).outcome()).as("the shared store decides again")
                .isEqualTo(Outcome.ALLOWED);
        assertThat(trail.recent(20).filter(event -> event.type() == EventType.BLOCK).map(AuditEvent::detail)
                .collectList().block(WAIT)).doesNotContain("decided locally while the shared store was away");
    }

    /** The copy of the shared store's overrides as the test sets it, counting its reloads. */
    private static final class ScriptedOverridesCopy implements SharedCopy {
        final KnownOverrides known = new KnownOverrides(100);
        final Map<String, UserOverride> inSharedStore = new ConcurrentHashMap<>();
        final AtomicInteger reloads = new AtomicInteger();

        @Override
        public Mono<Void> follow() {
            return Mono.never();
        }

        @Override
        public Mono<Void> reload() {
            return Mono.fromRunnable(() -> {
                known.replaceAll(Map.copyOf(inSharedStore), known.generation());
                reloads.incrementAndGet();
            });
        }
    }

    @Test
    void theFallbackDecidesByTheCopyOfTheOverridesSoAnExemptUserIsNeverBlockedHere() {
        LivePolicies strict = TestPolicies.of(Map.of("actions.trade.limit", "1", "actions.trade.window", "1h",
                "actions.trade.strategy", "fixed-window"));
        InMemoryDecisionStore memory = new InMemoryDecisionStore(clock, strict::rules, 1000);
        Action once = strict.current().actions().find("trade").orElseThrow();
        ScriptedOverridesCopy copy = new ScriptedOverridesCopy();
        copy.inSharedStore.put("vip", new UserOverride(-1, "", null, Map.of()));
        copy.inSharedStore.put("own", new UserOverride(0, "", null, Map.of("trade", new Quota(3, 3_600_000, 0))));
        DecisionChain chain = DecisionChain.builder(memory, events, strict, meters, clock)
                .shared(shared, breaker, blocks).blocks(Duration.ofHours(1), 100)
                .fallbackOverrides(store -> new OverridingDecisionStore(store, Set.of(), copy.known, Tiers.none(),
                        clock), copy)
                .build();
        await().atMost(WAIT).until(() -> copy.reloads.get() == 1);
        chain.decide("vip", once).block(WAIT);
        assertThat(shared.calls).as("the shared store decides while it is up").hasValue(1);

        shared.failing = true;
        List<Outcome> vip = new ArrayList<>();
        List<Long> ownLimits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            vip.add(chain.decide("vip", once).block(WAIT).outcome());
        }
        for (int i = 0; i < 4; i++) {
            Decision own = chain.decide("own", once).block(WAIT);
            assertThat(own.outcome()).isEqualTo(i < 3 ? Outcome.ALLOWED : Outcome.RATE_LIMITED);
            ownLimits.add(own.limit());
        }
        assertThat(vip).containsOnly(Outcome.EXEMPT);
        assertThat(ownLimits).containsOnly(3L);

        shared.failing = false;
        breaker.transitionToClosedState();
        await().atMost(WAIT).until(() -> copy.reloads.get() == 2);
        assertThat(blocks.recorded).isEmpty();
    }

    @Test
    void whileTheSharedStoreFailsTheLocalStoreDecidesAndTheFailoverIsAudited() {
        DecisionChain chain = chain();
        shared.failing = true;

        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(decide(chain, "alice").outcome());
        }

        assertThat(outcomes).containsExactly(Outcome.ALLOWED, Outcome.ALLOWED, Outcome.RATE_LIMITED,
                Outcome.RATE_LIMITED);
        assertThat(shared.calls).as("the open breaker spares the failing store").hasValue(2);
        assertThat(trail.recent(10).map(AuditEvent::type).collectList().block(WAIT))
                .contains(EventType.FAILOVER, EventType.VIOLATION);
        assertThat(chain.status().storeDeciding()).isFalse();
    }

    @Test
    void withoutASharedStoreTheLocalStoreDecidesAndEveryDecisionIsCounted() {
        DecisionChain chain = DecisionChain.builder(local, events, policies, meters, clock).build();

        decide(chain, "bob");
        decide(chain, "bob");
        decide(chain, "bob");

        assertThat(meters.counter("abuseguard.decisions", "action", "trade", "outcome", "allowed", "shadow", "false")
                .count()).isEqualTo(2);
        assertThat(meters.counter("abuseguard.decisions", "action", "trade", "outcome", "rate_limited",
                "shadow", "false").count()).isEqualTo(1);
        assertThat(chain.status().store()).isEqualTo("memory");
    }
}
