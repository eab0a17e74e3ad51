package dev.abuseguard.strategy;

/**
 * The numbers a strategy works with: at most {@code limit} requests per {@code windowMillis};
 * {@code maxDelayMillis} only matters to the leaky bucket.
 */
public record Quota(long limit, long windowMillis, long maxDelayMillis) {

    /** Keeps {@code limit * windowMillis} exact in a double, which is what Lua computes with. */
    public static final long MAX_LIMIT_TIMES_WINDOW = 1L << 50;

    public Quota {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be at least 1ms, was " + windowMillis);
        }
        if (maxDelayMillis < 0) {
            throw new IllegalArgumentException("max-delay must not be negative, was " + maxDelayMillis);
        }
        if (limit > MAX_LIMIT_TIMES_WINDOW / windowMillis) {
            throw new IllegalArgumentException("limit x window (in ms) must stay below 2^50, was "
                    + limit + " x " + windowMillis);
        }
    }
}
