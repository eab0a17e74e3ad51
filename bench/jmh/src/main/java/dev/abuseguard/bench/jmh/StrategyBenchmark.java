package dev.abuseguard.bench.jmh;

import dev.abuseguard.policy.Action;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.RateLimitStrategy;
import dev.abuseguard.strategy.Verdict;
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
 * The pure strategy functions alone ({@code strategy/*.java}): one decision, state in and state out,
 * for 10,000 users taking turns; no store, no map, no clock call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StrategyBenchmark {

    @Param({"token-bucket", "sliding-window", "sliding-window-counter", "fixed-window", "leaky-bucket"})
    public String strategy;

    @Param("10000")
    public int users;

    private RateLimitStrategy<Object> algorithm;
    private Quota quota;
    private Object[] states;
    private long now;
    private int next;
    private long denied;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        Action action = Users.action(strategy);
        algorithm = (RateLimitStrategy<Object>) action.policy().strategy().algorithm();
        quota = action.quota();
        states = new Object[users];
        now = SimulatedClock.START_MILLIS;
    }

    @Benchmark
    public Verdict<Object> decide() {
        int user = next;
        next = user + 1 == users ? 0 : user + 1;
        now++;
        Verdict<Object> verdict = algorithm.decide(states[user], now, quota);
        if (verdict.allowed()) {
            states[user] = verdict.state();
        } else {
            denied++;
        }
        return verdict;
    }

    @TearDown(Level.Trial)
    public void everythingWasAllowed() {
        if (denied > 0) {
            throw new IllegalStateException(denied + " decisions were denials: this benchmark measures the allowed path");
        }
    }
}
