package dev.abuseguard.lettuce;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * One decision connection per event loop of the HTTP server, each registered on its loop. A request is
 * served on one loop from start to end; when its decision goes over that loop's own connection, the
 * command is written, its reply read and the request carried on without handing work to another thread
 * (each hand-off wakes a thread: on two cores that costs more than the Redis round trip itself).
 *
 * <p>Each lane is a client of its own, on {@linkplain LettuceResources#onLoop resources of its own}, and
 * speaks ASCII: decisions carry only ASCII (validated ids, numbers, action names), and with ASCII Lettuce
 * knows each argument's length up front and writes it straight into the command, without a buffer per
 * argument. A command with anything else takes the general connection.
 */
final class DecisionLanes {

    private final EventLoop[] loops;
    private final List<Reconnecting<RedisTopology.Commands>> connections;
    private final List<Runnable> shutdown;

    private DecisionLanes(List<EventLoop> loops, List<Reconnecting<RedisTopology.Commands>> connections,
                          List<Runnable> shutdown) {
        this.loops = loops.toArray(EventLoop[]::new);
        this.connections = List.copyOf(connections);
        this.shutdown = List.copyOf(shutdown);
    }

    /** A lane (a client, not yet connected) on each of {@code loops}; none for an empty list. */
    static DecisionLanes on(List<EventLoop> loops, RedisTopology topology, LettuceResources resources) {
        List<Reconnecting<RedisTopology.Commands>> connections = new ArrayList<>();
        List<Runnable> stops = new ArrayList<>();
        for (EventLoop loop : loops) {
            ClientResources onLoop = resources.onLoop(loop);
            RedisTopology.Client client = topology.client(onLoop, StringCodec.ASCII);
            connections.add(new Reconnecting<>(client.connect()));
            stops.add(() -> {
                client.shutdown().run();
                onLoop.shutdown();
            });
        }
        return new DecisionLanes(loops, connections, stops);
    }

    /** The lane of the calling thread, or {@code null} when it is not one of the lanes' event loops. */
    Reconnecting<RedisTopology.Commands> forCurrentThread() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return connections.get(i);
            }
        }
        return null;
    }

    List<Reconnecting<RedisTopology.Commands>> all() {
        return connections;
    }

    /** Shuts every lane's client and resources down; the event loops keep running (they are the server's). */
    void close() {
        shutdown.forEach(Runnable::run);
    }
}
