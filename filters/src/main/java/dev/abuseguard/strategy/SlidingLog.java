package dev.abuseguard.strategy;

import java.util.Arrays;

/** State of the sliding window: the times of admitted requests, oldest first. Never mutated. */
public final class SlidingLog {

    private final long[] admittedAt;

    public SlidingLog(long... admittedAt) {
        this.admittedAt = admittedAt.clone();
    }

    /** The entries still inside the window that ends at {@code now}. */
    SlidingLog within(long nowMillis, long windowMillis) {
        int firstKept = 0;
        while (firstKept < admittedAt.length && admittedAt[firstKept] <= nowMillis - windowMillis) {
            firstKept++;
        }
        return firstKept == 0 ? this : new SlidingLog(Arrays.copyOfRange(admittedAt, firstKept, admittedAt.length));
    }

    SlidingLog plus(long nowMillis) {
        long[] next = Arrays.copyOf(admittedAt, admittedAt.length + 1);
        next[admittedAt.length] = nowMillis;
        return new SlidingLog(next);
    }

    SlidingLog withoutNewest() {
        return admittedAt.length == 0 ? this : new SlidingLog(Arrays.copyOf(admittedAt, admittedAt.length - 1));
    }

    public int size() {
        return admittedAt.length;
    }

    long oldest() {
        return admittedAt[0];
    }

    long newest() {
        return admittedAt[admittedAt.length - 1];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SlidingLog log && Arrays.equals(admittedAt, log.admittedAt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(admittedAt);
    }

    @Override
    public String toString() {
        return "SlidingLog" + Arrays.toString(admittedAt);
    }
}
