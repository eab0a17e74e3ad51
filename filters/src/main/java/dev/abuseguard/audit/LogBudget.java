package dev.abuseguard.audit;

/**
 * At most {@code perSecond} log lines a second, for lines a client can cause at the rate of its requests (a
 * refusal in shadow mode blocks no one, so nothing else bounds them): the lines over the budget are only
 * counted, and the next line that is written says how many were left out. Thread-safe; the lock is held for a
 * few comparisons, never around the write.
 */
final class LogBudget {

    private final int perSecond;
    private long second = Long.MIN_VALUE;
    private int written;
    private long suppressed;

    LogBudget(int perSecond) {
        this.perSecond = perSecond;
    }

    /** @return -1 when the line is over the budget, else how many lines were left out since the last one written */
    synchronized long take(long nowMillis) {
        long now = Math.floorDiv(nowMillis, 1000);
        if (now != second) {
            second = now;
            written = 0;
        }
        if (written >= perSecond) {
            suppressed++;
            return -1;
        }
        written++;
        long left = suppressed;
        suppressed = 0;
        return left;
    }
}
