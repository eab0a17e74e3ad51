package dev.abuseguard.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Where Redis is and how to reach it: a single server, a master watched by Sentinel, or a cluster (its
 * topology refresh), with the client options every connection shares ({@link LettuceOptions}: TLS, time
 * limits). Creates Lettuce clients on the client resources and codec it is given; it owns neither.
 */
final class RedisTopology {

    /** The two faces of one connection: reactive for the general API, async for the lean decision path. */
    record Commands(RedisClusterReactiveCommands<String, String> reactive,
                    RedisClusterAsyncCommands<String, String> async) {
    }

    /** One Lettuce client: how it connects (commands, pub/sub), and how it is shut down. */
    record Client(Supplier<CompletableFuture<Commands>> connect,
                  Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSub,
                  Runnable shutdown) {
    }

    private final BiFunction<ClientResources, StringCodec, Client> clients;

    private RedisTopology(BiFunction<ClientResources, StringCodec, Client> clients) {
        this.clients = clients;
    }

    /** A client on these resources whose command connections use {@code codec} (pub/sub is always UTF-8). */
    Client client(ClientResources resources, StringCodec codec) {
        return clients.apply(resources, codec);
    }

    static RedisTopology standalone(RedisURI uri, SslOptions ssl, Duration connectTimeout, Duration scriptTimeout) {
        ClientOptions options = LettuceOptions.standalone(ssl, connectTimeout, scriptTimeout);
        return new RedisTopology((resources, codec) -> {
            RedisClient client = RedisClient.create(resources);
            client.setOptions(options);
            return new Client(
                    () -> client.connectAsync(codec, uri).toCompletableFuture()
                            .thenApply(c -> new Commands(c.reactive(), c.async())),
                    () -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture(),
                    client::shutdown);
        });
    }

    /**
     * A master watched by Sentinel: every connection (each lane too) is a master-replica connection that
     * asks the sentinels for the master, listens to their news and moves to the promoted replica by itself
     * after a failover; commands go to the master only ({@code ReadFrom.UPSTREAM}). Pub/sub resolves the
     * master through the sentinels on every (re)connect.
     */
    static RedisTopology sentinel(RedisURI uri, SslOptions ssl, Duration connectTimeout, Duration scriptTimeout) {
        ClientOptions options = LettuceOptions.standalone(ssl, connectTimeout, scriptTimeout);
        return new RedisTopology((resources, codec) -> {
            RedisClient client = RedisClient.create(resources);
            client.setOptions(options);
            return new Client(
                    () -> MasterReplica.connectAsync(client, codec, uri).thenApply(c -> {
                        c.setReadFrom(ReadFrom.UPSTREAM);
                        return new Commands(c.reactive(), c.async());
                    }),
                    () -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture(),
                    client::shutdown);
        });
    }

    /** A cluster, its topology followed as {@code refresh} says (see {@link ClusterRefresh}). */
    static RedisTopology cluster(List<RedisURI> seeds, SslOptions ssl, ClusterRefresh refresh,
                                 Duration connectTimeout, Duration scriptTimeout) {
        ClusterClientOptions options = LettuceOptions.cluster(ssl, refresh, connectTimeout, scriptTimeout);
        // connectAsync needs the slot map already loaded (else "Partitions not initialized"): load it first,
        // without blocking, on every attempt, so a retry after a failed start-up reads the topology afresh
        return new RedisTopology((resources, codec) -> {
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.setOptions(options);
            return new Client(
                    () -> client.refreshPartitionsAsync().toCompletableFuture()
                            .<StatefulRedisClusterConnection<String, String>>thenCompose(
                                    loaded -> client.connectAsync(codec))
                            .thenCompose(RedisTopology::withEveryUpstreamNode)
                            .thenApply(c -> new Commands(c.reactive(), c.async())),
                    () -> client.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(loaded -> client.connectPubSubAsync(StringCodec.UTF8)),
                    client::shutdown);
        });
    }

    /**
     * Lettuce connects to a cluster's nodes on first use; connecting to every upstream node up front keeps
     * that set-up off the first decisions, and their time limit. A node that cannot be reached now is
     * connected to later, on first use, as before.
     */
    private static CompletableFuture<StatefulRedisClusterConnection<String, String>> withEveryUpstreamNode(
            StatefulRedisClusterConnection<String, String> connection) {
        return CompletableFuture.allOf(connection.getPartitions().stream()
                        .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                        // by address: the connections Lettuce routes slots to are keyed so, not by node id
                        .map(node -> connection.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                                .handle((open, failed) -> open))
                        .toArray(CompletableFuture[]::new))
                .thenApply(connected -> connection);
    }
}
