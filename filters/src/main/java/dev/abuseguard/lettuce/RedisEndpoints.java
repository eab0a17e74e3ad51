package dev.abuseguard.lettuce;

import io.lettuce.core.RedisURI;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/** Turns Spring Boot's {@code spring.data.redis.*} connection details into our Lettuce connection. */
public final class RedisEndpoints {

    private RedisEndpoints() {
    }

    public static LettuceConnection connect(DataRedisConnectionDetails details, Duration connectTimeout,
                                     Duration scriptTimeout, List<EventLoop> laneLoops) {
        DataRedisConnectionDetails.Cluster cluster = details.getCluster();
        if (cluster != null && !cluster.getNodes().isEmpty()) {
            List<RedisURI> seeds = cluster.getNodes().stream()
                    .map(node -> uri(details, node.host(), node.port(), 0)).toList();
            return LettuceConnection.cluster(seeds, connectTimeout, scriptTimeout, laneLoops);
        }
        DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
        return LettuceConnection.standalone(
                uri(details, standalone.getHost(), standalone.getPort(), standalone.getDatabase()), connectTimeout,
                scriptTimeout, laneLoops);
    }

    private static RedisURI uri(DataRedisConnectionDetails details, String host, int port, int database) {
        RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port).withDatabase(database);
        if (details.getPassword() != null) {
            if (details.getUsername() != null) {
                uri.withAuthentication(details.getUsername(), details.getPassword().toCharArray());
            } else {
                uri.withPassword(details.getPassword().toCharArray());
            }
        }
        return uri.build();
    }
}
