package dev.abuseguard.bench.jmh;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the benchmark moves by hand, so that each user's requests are spread over simulated time the
 * way real traffic is (one request per user every {@code users} ms when it advances 1 ms per decision),
 * whatever speed the machine runs at. Not thread-safe: the benchmarks run one thread.
 */
public final class SimulatedClock extends Clock {

    /** 2026-06-01T00:00Z: any realistic epoch time. */
    public static final long START_MILLIS = 1_780_272_000_000L;

    private long now = START_MILLIS;

    public void advance(long millis) {
        now += millis;
    }

    @Override
    public long millis() {
        return now;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the benchmark clock has one zone");
    }
}
