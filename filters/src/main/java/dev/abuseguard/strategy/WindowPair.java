package dev.abuseguard.strategy;

/**
 * State of the sliding window counter: the requests admitted in the window that starts at {@code windowStart}
 * and in the one before it.
 */
public record WindowPair(long windowStart, long previousCount, long currentCount) {
}
