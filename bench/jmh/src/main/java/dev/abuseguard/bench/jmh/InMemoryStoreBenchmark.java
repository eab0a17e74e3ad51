package dev.abuseguard.bench.jmh;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.memory.InMemoryDecisionStore;
import dev.abuseguard.policy.Action;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One decision through the in-memory store ({@code InMemoryDecisionStore.decideNow(user, action,
 * Spend.CONSUME)}): Caffeine lookup and compute, block check, strategy, state kept or dropped, expiry.
 * 10,000 users take turns, one request each per 10 s of simulated time; the limit is never reached.
 * The token and leaky buckets' state drains within 60 ms, so their users come back as new ones (as
 * in production at that rate); the fixed and sliding windows keep state for the minute.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InMemoryStoreBenchmark {

    @Param({"token-bucket", "sliding-window", "sliding-window-counter", "fixed-window", "leaky-bucket"})
    public String strategy;

    @Param("10000")
    public int users;

    private final SimulatedClock clock = new SimulatedClock();
    private InMemoryDecisionStore store;
    private Action action;
    private String[] ids;
    private int next;
    private long denied;

    @Setup(Level.Trial)
    public void setUp() {
        ScoringRules rules = ScoringRules.defaults();
        store = new InMemoryDecisionStore(clock, () -> rules, 100_000);
        action = Users.action(strategy);
        ids = Users.ids(users);
    }

    @Benchmark
    public Decision decideNow() {
        int user = next;
        next = user + 1 == users ? 0 : user + 1;
        clock.advance(1);
        Decision decision = store.decideNow(ids[user], action, Spend.CONSUME);
        if (!decision.allowed()) {
            denied++;
        }
        return decision;
    }

    @TearDown(Level.Trial)
    public void everythingWasAllowed() {
        if (denied > 0) {
            throw new IllegalStateException(denied + " decisions were denials: this benchmark measures the allowed path");
        }
    }
}
