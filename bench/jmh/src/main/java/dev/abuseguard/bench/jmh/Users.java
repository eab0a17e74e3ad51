package dev.abuseguard.bench.jmh;

import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.strategy.StrategyType;
import java.time.Duration;

/** What the benchmarks share: user ids, and an action whose limit the simulated traffic never reaches. */
public final class Users {

    /**
     * 1000 per minute. With 10,000 users taking turns and the clock moving 1 ms per decision, a user asks
     * once every 10 s: 6 per minute, always allowed, and the sliding window's log stays short.
     */
    public static final long LIMIT = 1000;
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private Users() {
    }

    public static String[] ids(int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = "user-" + (100_000_000 + i * 7919L); // realistic, distinct, Discord-ish numeric ids
        }
        return ids;
    }

    public static Action action(String strategy) {
        return new Action("bench", ActionPolicy.of(LIMIT, WINDOW, StrategyType.fromConfigName(strategy)));
    }
}
