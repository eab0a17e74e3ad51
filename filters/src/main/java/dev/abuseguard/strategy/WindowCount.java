package dev.abuseguard.strategy;

/** State of the fixed window: how many requests were admitted in the window that starts at {@code windowStart}. */
public record WindowCount(long windowStart, long count) {
}
