package dev.abuseguard.trends;

import dev.abuseguard.decision.Outcome;

/** The columns of a trend row, one per outcome; the wire names are the JSON members and the Redis fields. */
public enum TrendColumn {
    ALLOWED("allowed"),
    RATE_LIMITED("rateLimited"),
    BLOCKED("blocked"),
    SHADOW("shadow"),
    STORE_UNAVAILABLE("storeUnavailable");

    private static final TrendColumn[] ALL = values();

    private final String wireName;

    TrendColumn(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * By name, so that an outcome added later (a shadow decision) finds its column without a change here. An
     * exempt user's request is forwarded, so it is allowed; an outcome this version does not know is counted
     * as allowed too rather than as a failure of the store.
     */
    static TrendColumn of(Outcome outcome) {
        String name = outcome.name();
        return switch (name) {
            case "RATE_LIMITED" -> RATE_LIMITED;
            case "BLOCKED" -> BLOCKED;
            case "STORE_UNAVAILABLE" -> STORE_UNAVAILABLE;
            default -> name.startsWith("SHADOW") ? SHADOW : ALLOWED;
        };
    }

    static TrendColumn byWireName(String name) {
        for (TrendColumn column : ALL) {
            if (column.wireName.equals(name)) {
                return column;
            }
        }
        return null;
    }

    static int count() {
        return ALL.length;
    }
}
