package dev.abuseguard.trends;

import java.util.Map;

/**
 * What one instance counted since its last flush: per epoch minute, counts per action (indexed by
 * {@link TrendColumn}) and violations per user.
 */
record TrendBatch(Map<Long, Map<String, long[]>> counts, Map<Long, Map<String, Long>> offenders) {

    boolean isEmpty() {
        return counts.isEmpty() && offenders.isEmpty();
    }
}
