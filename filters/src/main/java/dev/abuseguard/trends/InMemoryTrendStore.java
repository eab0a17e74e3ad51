package dev.abuseguard.trends;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * This instance's own counts, kept as long as the shared ones: served when there is no Redis or it cannot
 * be read. Bounded: {@code keepMinutes} minutes of counts, the configured actions, and offenders only for the
 * {@value Trends#OFFENDER_MINUTES} minutes they are read for, {@code keepOffenders} users a minute (ids a
 * client invents would otherwise fill the heap for a day).
 * Touched only by the flush and by admin reads, so plain synchronization is enough.
 */
final class InMemoryTrendStore implements TrendStore {

    private final long keepMinutes;
    private final int keepOffenders;
    private final NavigableMap<Long, Map<String, long[]>> counts = new TreeMap<>();
    private final NavigableMap<Long, Map<String, Long>> offenders = new TreeMap<>();

    InMemoryTrendStore(long keepMinutes, int keepOffenders) {
        this.keepMinutes = keepMinutes;
        this.keepOffenders = keepOffenders;
    }

    @Override
    public synchronized Mono<Void> add(TrendBatch batch) {
        batch.counts().forEach((minute, actions) -> actions.forEach((action, added) -> {
            long[] kept = counts.computeIfAbsent(minute, m -> new HashMap<>())
                    .computeIfAbsent(action, a -> new long[TrendColumn.count()]);
            for (int i = 0; i < kept.length; i++) {
                kept[i] += added[i];
            }
        }));
        batch.offenders().forEach((minute, users) -> {
            Map<String, Long> kept = offenders.computeIfAbsent(minute, m -> new HashMap<>());
            users.forEach((user, violations) -> kept.merge(user, violations, Long::sum));
            if (kept.size() > keepOffenders) {
                List<Map.Entry<String, Long>> ranked = new ArrayList<>(kept.entrySet());
                ranked.sort(Map.Entry.comparingByValue());
                ranked.subList(0, kept.size() - keepOffenders).forEach(e -> kept.remove(e.getKey()));
            }
        });
        Long newest = counts.isEmpty() ? null : counts.lastKey();
        if (newest != null) {
            counts.headMap(newest - keepMinutes, false).clear();
            offenders.headMap(newest - Trends.OFFENDER_MINUTES, false).clear();
        }
        return Mono.empty();
    }

    @Override
    public synchronized Mono<List<TrendRow>> rows(long fromMinute, long toMinute) {
        List<TrendRow> rows = new ArrayList<>();
        if (fromMinute <= toMinute) {
            counts.subMap(fromMinute, true, toMinute, true).forEach((minute, actions) -> actions.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(action -> rows.add(TrendRow.of(minute, action.getKey(), action.getValue()))));
        }
        return Mono.just(rows);
    }

    @Override
    public synchronized Mono<List<Offender>> offenders(long fromMinute, long toMinute, int limit) {
        Map<String, Long> violations = new HashMap<>();
        if (fromMinute <= toMinute) {
            offenders.subMap(fromMinute, true, toMinute, true)
                    .values().forEach(users -> users.forEach((user, n) -> violations.merge(user, n, Long::sum)));
        }
        return Mono.just(top(violations, limit));
    }

    synchronized int minutesKept() {
        return Math.max(counts.size(), offenders.size());
    }

    static List<Offender> top(Map<String, Long> violations, int limit) {
        return violations.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(e -> new Offender(e.getKey(), e.getValue())).toList();
    }
}
