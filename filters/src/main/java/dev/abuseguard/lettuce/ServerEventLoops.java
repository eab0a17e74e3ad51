package dev.abuseguard.lettuce;

import dev.abuseguard.logging.LogValue;
import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * The event loops the HTTP server serves requests on (Reactor Netty's global resources, which Spring
 * Boot's server and the gateway's HTTP client share), for Lettuce to run decision connections on.
 */
public final class ServerEventLoops {

    private static final Logger log = LoggerFactory.getLogger(ServerEventLoops.class);
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(5);

    private ServerEventLoops() {
    }

    /** The server's loops, or none when Lettuce's transport cannot run on them (it then keeps its own). */
    public static List<EventLoop> forLettuce() {
        EventLoopGroup group = HttpResources.get().onServer(LoopResources.DEFAULT_NATIVE);
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            if (!(executor instanceof EventLoop loop)) {
                return List.of();
            }
            loops.add(loop);
        }
        if (loops.isEmpty() || !accepts(loops.get(0), Transports.socketChannelClass())) {
            log.info("event=redis_lanes_off reason={}",
                    LogValue.quoted("the server's event loops do not take Lettuce's "
                    + Transports.socketChannelClass().getSimpleName()));
            return List.of();
        }
        log.info("event=redis_lanes count={} detail=\"one decision connection per server event loop\"", loops.size());
        return List.copyOf(loops);
    }

    /** Registers an unconnected channel of the type with the loop, the check Netty makes on every connect. */
    private static boolean accepts(EventLoop loop, Class<? extends Channel> channelType) {
        try {
            Channel probe = channelType.getConstructor().newInstance();
            ChannelFuture registered = loop.register(probe);
            // start-up waits for a busy or stuck loop no longer than this; without an answer, no lanes
            boolean answered = registered.awaitUninterruptibly(REGISTRATION_WAIT.toMillis());
            probe.close();
            return answered && registered.isSuccess();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
