package dev.abuseguard.testsupport;

import dev.abuseguard.lettuce.ClusterRefresh;
import dev.abuseguard.lettuce.LettuceConnection;
import io.lettuce.core.RedisURI;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Lettuce connections a test opens, closed after each test ({@code @RegisterExtension}). Time limits
 * are generous: the tests measure outcomes, not latency.
 */
public final class OpenConnections implements AfterEachCallback {

    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration SCRIPT = Duration.ofSeconds(2);

    private final List<LettuceConnection> open = new ArrayList<>();

    public LettuceConnection standalone(RedisServer redis) {
        return lanes(redis, List.of());
    }

    /** One decision lane per loop, as the gateway opens them on its server's event loops. */
    public LettuceConnection lanes(RedisServer redis, List<EventLoop> loops) {
        return keep(LettuceConnection.standalone(RedisURI.create("127.0.0.1", redis.port()), null, CONNECT, SCRIPT,
                loops));
    }

    public LettuceConnection cluster(RedisCluster cluster) {
        List<RedisURI> seeds = cluster.nodes().stream().map(node -> RedisURI.create("127.0.0.1", node.port()))
                .toList();
        return keep(LettuceConnection.cluster(seeds, null, ClusterRefresh.defaults(), CONNECT, SCRIPT, List.of()));
    }

    private LettuceConnection keep(LettuceConnection connection) {
        open.add(connection);
        return connection;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(LettuceConnection::close);
        open.clear();
    }
}
