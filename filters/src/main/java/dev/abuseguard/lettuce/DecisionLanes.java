package dev.abuseguard.lettuce;

import io.netty.channel.EventLoop;
import java.util.List;

/**
 * One decision connection per event loop of the HTTP server, each registered on its loop. A request is
 * served on one loop from start to end; when its decision goes over that loop's own connection, the
 * command is written, its reply read and the request carried on without handing work to another thread
 * (each hand-off wakes a thread: on two cores that costs more than the Redis round trip itself).
 */
final class DecisionLanes {

    private final EventLoop[] loops;
    private final List<Reconnecting<LettuceConnection.Commands>> connections;

    DecisionLanes(List<EventLoop> loops, List<Reconnecting<LettuceConnection.Commands>> connections) {
        if (loops.size() != connections.size()) {
            throw new IllegalArgumentException("one connection per event loop");
        }
        this.loops = loops.toArray(EventLoop[]::new);
        this.connections = List.copyOf(connections);
    }

    /** The lane of the calling thread, or {@code null} when it is not one of the lanes' event loops. */
    Reconnecting<LettuceConnection.Commands> forCurrentThread() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return connections.get(i);
            }
        }
        return null;
    }

    List<Reconnecting<LettuceConnection.Commands>> all() {
        return connections;
    }
}
