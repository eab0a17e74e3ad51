package dev.abuseguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.AuditEvent;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.audit.InMemoryAuditTrail;
import dev.abuseguard.audit.WebhookAlerts;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.testsupport.ManualClock;
import dev.abuseguard.testsupport.TestPolicies;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
            WebhookAlerts.to(null, null, Retry.ofDefaults("off"), 1, meters), clock);
    private final InMemoryDecisionStore local = new InMemoryDecisionStore(clock, policies::rules, 1000);
    private final ScriptedSharedStore shared = new ScriptedSharedStore();
    private final Sinks.Many<String> invalidations = Sinks.many().multicast().directBestEffort();
    private final CircuitBreaker breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(2).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMinutes(1)).build());

    /** A shared store whose next answers the test sets; counts what reaches it. */
    private static final class ScriptedSharedStore implements SharedDecisionStore {
        final List<Decision> answers = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger warmUps = new AtomicInteger();
        volatile boolean failing;

        @Override
        public CompletableFuture<Decision> decideAsync(String userId, Action action, Spend spend) {
            calls.incrementAndGet();
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
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

    private DecisionChain chain() {
        return DecisionChain.builder(local, events, policies, meters, clock).shared(shared, breaker)
                .blockCache(Duration.ofMinutes(1), 100, invalidations.asFlux()).build();
    }

    private static Decision blockedFor(long millis) {
        return new Decision(Outcome.BLOCKED, 2, 0, 0, millis, 0, 100, false);
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

        invalidations.tryEmitNext("mallory");
        assertThat(decide(chain, "mallory").outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(shared.calls).hasValue(2);

        shared.answers.add(blockedFor(-1));
        decide(chain, "mallory");
        chain.close();
        invalidations.tryEmitNext("*");
        assertThat(decide(chain, "mallory").outcome()).as("a closed chain hears no invalidations")
                .isEqualTo(Outcome.BLOCKED);
        assertThat(shared.calls).hasValue(3);
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

        assertThat(meters.counter("abuseguard.decisions", "action", "trade", "outcome", "allowed").count())
                .isEqualTo(2);
        assertThat(meters.counter("abuseguard.decisions", "action", "trade", "outcome", "rate_limited").count())
                .isEqualTo(1);
        assertThat(chain.status().store()).isEqualTo("memory");
    }
}
