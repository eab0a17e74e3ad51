package dev.abuseguard.strategy;

import java.util.stream.IntStream;

/** Drives a pure strategy through a stream of arrivals, keeping its state as a store would. */
final class Replay {

    private Replay() {
    }

    /** Whether each arrival (times ascending) was admitted. */
    @SuppressWarnings("unchecked")
    static boolean[] decisions(StrategyType type, Quota quota, long[] arrivals) {
        RateLimitStrategy<Object> strategy = (RateLimitStrategy<Object>) type.algorithm();
        Object state = null;
        boolean[] allowed = new boolean[arrivals.length];
        for (int i = 0; i < arrivals.length; i++) {
            Verdict<Object> verdict = strategy.decide(state, arrivals[i], quota);
            if (verdict.allowed()) {
                state = verdict.state();
                allowed[i] = true;
            }
        }
        return allowed;
    }

    /** The arrival times (ascending) the strategy admitted. */
    static long[] admitted(StrategyType type, Quota quota, long[] arrivals) {
        boolean[] allowed = decisions(type, quota, arrivals);
        return IntStream.range(0, arrivals.length).filter(i -> allowed[i]).mapToLong(i -> arrivals[i]).toArray();
    }

    /** The most admissions in any span {@code [t, t + window)} with {@code t >= from}. */
    static long mostInAnySpan(long[] admitted, long window, long from) {
        long most = 0;
        int first = 0;
        for (int last = 0; last < admitted.length; last++) {
            while (admitted[last] - admitted[first] >= window) {
                first++;
            }
            if (admitted[first] >= from) {
                most = Math.max(most, last - first + 1);
            }
        }
        return most;
    }
}
