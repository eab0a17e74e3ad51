package dev.abuseguard.trends;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionListener;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.decision.Scope;
import dev.abuseguard.policy.Action;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts decisions in memory until the next flush: per minute and action one array of counters, per minute
 * the violations of each user. The request path only increments; no I/O. Bounded: actions come from the
 * configuration, only the current and the previous minute are kept, and at most {@code maxOffenders} users
 * are counted per minute (more distinct offenders than that in one minute are counted, but not ranked).
 */
public final class TrendRecorder implements DecisionListener {

    private final Clock clock;
    private final int maxOffenders;
    private final Map<Long, Map<String, AtomicLongArray>> counts = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, LongAdder>> offenders = new ConcurrentHashMap<>();
    /** The minute being counted, so that a decision looks up only its action. */
    private volatile Minute counting;

    private record Minute(long minute, Map<String, AtomicLongArray> actions) {
    }

    public TrendRecorder(Clock clock, int maxOffenders) {
        this.clock = clock;
        this.maxOffenders = maxOffenders;
    }

    @Override
    public void decided(String userId, Action action, Decision decision) {
        long minute = clock.millis() / 60_000;
        Minute current = counting;
        if (current == null || current.minute() != minute) {
            current = new Minute(minute, counts.computeIfAbsent(minute, m -> new ConcurrentHashMap<>()));
            counting = current;
        }
        AtomicLongArray columns = current.actions().get(action.name());
        if (columns == null) {
            columns = current.actions().computeIfAbsent(action.name(), a -> new AtomicLongArray(TrendColumn.count()));
        }
        columns.incrementAndGet((decision.shadowOf() != null ? TrendColumn.SHADOW
                : TrendColumn.of(decision.outcome())).ordinal());
        if (decision.outcome() == Outcome.RATE_LIMITED && decision.scope() == Scope.USER) {
            Map<String, LongAdder> users = offenders.computeIfAbsent(minute, m -> new ConcurrentHashMap<>());
            LongAdder violations = users.get(userId);
            if (violations == null && users.size() < maxOffenders) {
                violations = users.computeIfAbsent(userId, u -> new LongAdder());
            }
            if (violations != null) {
                violations.increment();
            }
        }
    }

    /**
     * Takes what was counted since the last call. Counters are read and zeroed one by one, so an increment
     * racing with the flush lands in this batch or the next, never nowhere; minutes before the previous one
     * are no longer written to and leave the map.
     */
    TrendBatch drain() {
        long current = clock.millis() / 60_000;
        Map<Long, Map<String, long[]>> drainedCounts = new HashMap<>();
        for (Iterator<Map.Entry<Long, Map<String, AtomicLongArray>>> it = counts.entrySet()
                .iterator(); it.hasNext(); ) {
            Map.Entry<Long, Map<String, AtomicLongArray>> minute = it.next();
            if (minute.getKey() < current - 1) {
                it.remove();
                counting = null; // a clock set back must not count into the removed minute
            }
            for (Map.Entry<String, AtomicLongArray> action : minute.getValue().entrySet()) {
                long[] taken = new long[TrendColumn.count()];
                boolean any = false;
                for (int i = 0; i < taken.length; i++) {
                    taken[i] = action.getValue().getAndSet(i, 0);
                    any |= taken[i] != 0;
                }
                if (any) {
                    drainedCounts.computeIfAbsent(minute.getKey(), m -> new HashMap<>()).put(action.getKey(), taken);
                }
            }
        }
        // as the counters: an adder is read and zeroed in place, never removed while its minute is current,
        // so an increment racing with the flush is never lost
        Map<Long, Map<String, Long>> drainedOffenders = new HashMap<>();
        for (Iterator<Map.Entry<Long, Map<String, LongAdder>>> it = offenders.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Map<String, LongAdder>> minute = it.next();
            if (minute.getKey() < current - 1) {
                it.remove();
            }
            Map<String, Long> taken = new HashMap<>();
            minute.getValue().forEach((user, violations) -> {
                long n = violations.sumThenReset();
                if (n != 0) {
                    taken.put(user, n);
                }
            });
            if (!taken.isEmpty()) {
                drainedOffenders.put(minute.getKey(), taken);
            }
        }
        return new TrendBatch(drainedCounts, drainedOffenders);
    }
}
