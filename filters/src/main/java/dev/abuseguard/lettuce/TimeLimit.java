package dev.abuseguard.lettuce;

import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The decision's time limit, and the timer that keeps it: command timeouts are the decision's time limit
 * (250 ms by default), and a wheel of 10 ms ticks keeps them close to it (Lettuce's own timer ticks every
 * 100 ms). One timer for every client of a {@link LettuceConnection}; it is stopped on close.
 */
final class TimeLimit {

    private final HashedWheelTimer timer = new HashedWheelTimer(
            new DefaultThreadFactory("abuse-guard-redis-timer", true), 10, TimeUnit.MILLISECONDS);
    private final long limitNanos;

    TimeLimit(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    /** The timer, for Lettuce's command timeouts. */
    Timer timer() {
        return timer;
    }

    /**
     * {@code work} (a decision that had to open its connection first), failed with a
     * {@code RedisCommandTimeoutException} once the decision's time limit has passed: no request waits for
     * longer than that because a connection is being opened (the first, or a half-open probe's after an
     * outage). The opening goes on meanwhile, and the next decisions use the connection once it is open.
     */
    <T> CompletableFuture<T> within(CompletableFuture<T> work) {
        if (work.isDone()) {
            return work;
        }
        CompletableFuture<T> limited = new CompletableFuture<>();
        Timeout deadline = timer.newTimeout(expired -> limited.completeExceptionally(new RedisCommandTimeoutException(
                "no connection to Redis within the time limit (" + Duration.ofNanos(limitNanos).toMillis()
                        + " ms)")), limitNanos, TimeUnit.NANOSECONDS);
        work.whenComplete((result, failure) -> {
            deadline.cancel();
            if (failure != null) {
                limited.completeExceptionally(failure);
            } else {
                limited.complete(result);
            }
        });
        return limited;
    }

    void stop() {
        timer.stop();
    }
}
