package dev.abuseguard.lettuce;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce client resources of a {@link LettuceConnection}: the general client's, and each decision
 * lane's.
 *
 * <p>The general client runs on the application's {@code ClientResources} when it has them (Spring Boot's
 * data-redis auto-configuration defines {@code lettuceClientResources}): on resources that take the application's
 * threads (its I/O event loop group provider and its computation executor, both marked shared, so that shutting
 * them down leaves the application's running: it owns them) with this library's reconnect delay, switched-off
 * latency recorder and {@linkplain TimeLimit timer}, so that the library behaves as with resources of its own.
 * Lettuce sets those per resources, not per client; and {@link ClientResources#mutate()} cannot be used here: its
 * copy makes an event loop group provider of its own and inherits the original's ownership of the executor, so
 * shutting the copy down would shut the application's executor down. Without the application's resources the
 * library creates, and on close shuts down, resources of its own.
 *
 * <p>Each lane has resources of its own whatever the case: a lane's client must register its channels on one
 * of the HTTP server's event loops ({@link SingleEventLoopProvider}), and consolidate its flushes, which is
 * a resource-wide setting that must not reach the application's other clients. A lane's resources share the
 * general ones' executor and timer, and own nothing else.
 */
final class LettuceResources {

    /**
     * The decisions of all the requests an event loop serves in one turn leave in one write: a flush waits
     * for the end of the turn (or 64 flushes), so Redis also reads them, and answers them, at once.
     */
    private static final NettyCustomizer CONSOLIDATE_FLUSHES = new NettyCustomizer() {
        @Override
        public void afterChannelInitialized(Channel channel) {
            channel.pipeline().addFirst(new FlushConsolidationHandler(64, true));
        }
    };

    private final ClientResources general;
    private final boolean shared;

    private LettuceResources(ClientResources general, boolean shared) {
        this.general = general;
        this.shared = shared;
    }

    /**
     * @param application the application's client resources, or {@code null} for the library's own
     * @param timer       the timer of the decision's time limit
     */
    static LettuceResources of(ClientResources application, Timer timer) {
        if (application == null) {
            return new LettuceResources(settings(DefaultClientResources.builder().timer(timer)), false);
        }
        return new LettuceResources(settings(DefaultClientResources.builder()
                .eventLoopGroupProvider(application.eventLoopGroupProvider())
                .eventExecutorGroup(application.eventExecutorGroup())
                .timer(timer)), true);
    }

    /**
     * Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default grows to 30 s), so a
     * Redis that comes back is in use again within about a second of the breaker's next probe. Lettuce's
     * own command latency recorder is off: the gateway times its decisions with Micrometer already, and
     * the recorder would cost every command a histogram update.
     */
    private static ClientResources settings(ClientResources.Builder builder) {
        return builder
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
    }

    /** The general client's resources. */
    ClientResources general() {
        return general;
    }

    /** Whether the general client's threads are the application's (then it shuts none of them down). */
    boolean shared() {
        return shared;
    }

    /** Resources for a lane's client, on {@code loop}; shutting them down leaves the loop running. */
    ClientResources onLoop(EventLoop loop) {
        return settings(DefaultClientResources.builder()
                .eventLoopGroupProvider(new SingleEventLoopProvider(loop))
                .eventExecutorGroup(general.eventExecutorGroup())
                .timer(general.timer())
                .nettyCustomizer(CONSOLIDATE_FLUSHES));
    }

    /** Shuts the general resources down: all of them when the library's own, none of the application's. */
    void shutdown() {
        general.shutdown();
    }
}
