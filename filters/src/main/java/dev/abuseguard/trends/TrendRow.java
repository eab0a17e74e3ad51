package dev.abuseguard.trends;

import java.time.Instant;

/** One minute of one action: what {@code GET /admin/api/trends} lists. */
public record TrendRow(Instant minute, String action, long allowed, long rateLimited, long blocked, long shadow,
                       long storeUnavailable) {

    static TrendRow of(long epochMinute, String action, long[] counts) {
        return new TrendRow(Instant.ofEpochSecond(epochMinute * 60), action,
                counts[TrendColumn.ALLOWED.ordinal()], counts[TrendColumn.RATE_LIMITED.ordinal()],
                counts[TrendColumn.BLOCKED.ordinal()], counts[TrendColumn.SHADOW.ordinal()],
                counts[TrendColumn.STORE_UNAVAILABLE.ordinal()]);
    }
}
