package dev.abuseguard.trends;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.AbuseGuardProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Trend analysis of one instance: counts decisions ({@link #recorder()}), flushes them every
 * {@code flush-interval} to its own memory and, with Redis, to the shared counts in one command; reads the
 * shared counts, or its own when there is no Redis or Redis cannot be read.
 */
public final class Trends implements AutoCloseable {

    /** The most minutes a read covers: a day. */
    public static final int MAX_MINUTES = 24 * 60;
    /** Top offenders are those of the last hour. */
    public static final int OFFENDER_MINUTES = 60;
    private static final Logger log = LoggerFactory.getLogger(Trends.class);
    private static final int KEEP_OFFENDERS_PER_MINUTE = 1000;
    private static final Duration CLOSING_FLUSH = Duration.ofSeconds(1);

    private final TrendRecorder recorder;
    private final InMemoryTrendStore local;
    private final TrendStore shared;
    private final Clock clock;
    private final Disposable flushing;

    private Trends(TrendRecorder recorder, InMemoryTrendStore local, TrendStore shared, Clock clock,
                   Duration flushInterval) {
        this.recorder = recorder;
        this.local = local;
        this.shared = shared;
        this.clock = clock;
        this.flushing = Flux.interval(flushInterval, flushInterval).onBackpressureDrop()
                .concatMap(tick -> flush().onErrorResume(e -> Mono.empty()), 1)
                .subscribe();
    }

    /** @param connection Redis, or null: then the instance's own counts are all there is */
    public static Trends start(AbuseGuardProperties.Trends settings, LettuceConnection connection, Clock clock) {
        TrendRecorder recorder = new TrendRecorder(clock, settings.maxOffendersPerMinute());
        InMemoryTrendStore local = new InMemoryTrendStore(MAX_MINUTES + OFFENDER_MINUTES, KEEP_OFFENDERS_PER_MINUTE);
        TrendStore shared = connection == null ? null
                : new RedisTrendStore(connection, settings.retention(), KEEP_OFFENDERS_PER_MINUTE);
        return new Trends(recorder, local, shared, clock, settings.flushInterval());
    }

    public TrendRecorder recorder() {
        return recorder;
    }

    /** Adds what was counted since the last flush: to this instance's memory, then to Redis in one command. */
    public Mono<Void> flush() {
        return Mono.defer(() -> {
            TrendBatch batch = recorder.drain();
            if (batch.isEmpty()) {
                return Mono.empty();
            }
            local.add(batch);
            return shared == null ? Mono.empty() : shared.add(batch).onErrorResume(e -> {
                log.debug("Trend counts not added to Redis (kept in this instance): {}", e.toString());
                return Mono.empty();
            });
        });
    }

    /** The rows of the last {@code minutes} minutes up to now (1..{@value #MAX_MINUTES}), oldest first. */
    public Mono<List<TrendRow>> rows(int minutes) {
        return read(minutes, MAX_MINUTES, (store, from, now) -> store.rows(from, now));
    }

    /**
     * The {@code limit} users with the most violations over the last {@code minutes} minutes
     * (1..{@value #OFFENDER_MINUTES}), most first.
     */
    public Mono<List<Offender>> offenders(int minutes, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return read(minutes, OFFENDER_MINUTES, (store, from, now) -> store.offenders(from, now, limit));
    }

    private <T> Mono<T> read(int minutes, int most, Read<T> read) {
        if (minutes < 1 || minutes > most) {
            throw new IllegalArgumentException("minutes must be 1.." + most);
        }
        long now = clock.millis() / 60_000;
        long from = now - minutes + 1;
        Mono<T> own = read.from(local, from, now);
        return shared == null ? own : read.from(shared, from, now).onErrorResume(e -> {
            log.debug("Trend counts not readable from Redis, serving this instance's: {}", e.toString());
            return own;
        });
    }

    /** For tests of the bounds: how many minutes this instance keeps of its own. */
    int localMinutesKept() {
        return local.minutesKept();
    }

    private interface Read<T> {
        Mono<T> from(TrendStore store, long fromMinute, long toMinute);
    }

    /** Stops flushing, after one last flush (bounded in time) so the last seconds' counts are not lost. */
    @Override
    public void close() {
        flushing.dispose();
        try {
            flush().block(CLOSING_FLUSH);
        } catch (RuntimeException e) {
            log.debug("Last trend counts not added to Redis: {}", e.toString());
        }
    }
}
