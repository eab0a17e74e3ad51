package dev.abuseguard.lettuce;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lettuce connections to Redis (a single server, a master watched by Sentinel, or a cluster), opened lazily and
 * opened again after a failed attempt: the gateway starts and serves without Redis, and picks Redis up when it
 * appears. Once open, Lettuce reconnects by itself; commands sent while disconnected fail at once instead of
 * queueing, so the circuit breaker sees the outage.
 *
 * <p>The face the rest of the library uses; the work is done by the classes it puts together:
 * {@link RedisTopology} (where Redis is, the clients and their options), {@link LettuceResources} (the
 * application's client resources or the library's own), {@link DecisionLanes} (one decision connection per
 * event loop of the HTTP server, running on that loop, so that a request's decision is written, answered and
 * followed up on the thread that already serves the request), {@link PubSub} (channel messages) and
 * {@link TimeLimit} (the decision's time limit and its timer). Everything that is not a lane's (admin, audit,
 * pub/sub, decisions from other threads) uses one general connection.
 */
public final class LettuceConnection implements AutoCloseable {

    private final LettuceResources resources;
    private final TimeLimit timeLimit;
    private final RedisTopology.Client client;
    private final Reconnecting<RedisTopology.Commands> general;
    private final DecisionLanes lanes;
    private final PubSub pubSub;

    private LettuceConnection(RedisTopology topology, Duration scriptTimeout, List<EventLoop> laneLoops,
                              ClientResources application) {
        this.timeLimit = new TimeLimit(scriptTimeout);
        this.resources = LettuceResources.of(application, timeLimit.timer());
        this.client = topology.client(resources.general(), StringCodec.UTF8);
        this.general = new Reconnecting<>(client.connect());
        this.pubSub = new PubSub(client.pubSub());
        this.lanes = DecisionLanes.on(laneLoops, topology, resources);
    }

    /**
     * @param application the application's Lettuce client resources, for the general client to share; {@code null}
     *                    for resources of the library's own (see {@link LettuceResources})
     */
    static LettuceConnection open(RedisTopology topology, Duration scriptTimeout, List<EventLoop> laneLoops,
                                  ClientResources application) {
        return new LettuceConnection(topology, scriptTimeout, laneLoops, application);
    }

    /**
     * @param scriptTimeout the time limit of a decision
     * @param laneLoops the HTTP server's event loops, each to get a decision connection of its own; empty for
     *                  one general connection only
     */
    public static LettuceConnection standalone(RedisURI uri, SslOptions ssl, Duration connectTimeout,
                                               Duration scriptTimeout, List<EventLoop> laneLoops) {
        return open(RedisTopology.standalone(uri, ssl, connectTimeout, scriptTimeout), scriptTimeout, laneLoops,
                null);
    }

    /** A master watched by Sentinel (see {@link RedisTopology#sentinel}). */
    public static LettuceConnection sentinel(RedisURI uri, SslOptions ssl, Duration connectTimeout,
                                             Duration scriptTimeout, List<EventLoop> laneLoops) {
        return open(RedisTopology.sentinel(uri, ssl, connectTimeout, scriptTimeout), scriptTimeout, laneLoops,
                null);
    }

    /** A cluster, its topology followed as {@code refresh} says (see {@link ClusterRefresh}). */
    public static LettuceConnection cluster(List<RedisURI> seeds, SslOptions ssl, ClusterRefresh refresh,
                                            Duration connectTimeout, Duration scriptTimeout,
                                            List<EventLoop> laneLoops) {
        return open(RedisTopology.cluster(seeds, ssl, refresh, connectTimeout, scriptTimeout), scriptTimeout,
                laneLoops, null);
    }

    /** The commands of the general connection, opening it (again) first when needed. */
    public Mono<RedisClusterReactiveCommands<String, String>> commands() {
        return general.get().map(RedisTopology.Commands::reactive);
    }

    /**
     * For a decision whose arguments are all ASCII: the commands of the calling event loop's lane if it is open,
     * else {@code null}; a caller that is not one of the server's event loops gets the general connection's.
     */
    public RedisClusterAsyncCommands<String, String> laneCommandsIfOpen() {
        return asyncIfOpen(laneOrGeneral());
    }

    /** {@link #laneCommandsIfOpen}, opening the connection (again) when needed. */
    public CompletableFuture<RedisClusterAsyncCommands<String, String>> laneCommands() {
        return laneOrGeneral().open().thenApply(RedisTopology.Commands::async);
    }

    /** For a decision with any argument beyond ASCII: the general connection's commands if open, else {@code null}. */
    public RedisClusterAsyncCommands<String, String> generalCommandsIfOpen() {
        return asyncIfOpen(general);
    }

    /** {@link #generalCommandsIfOpen}, opening the connection (again) when needed. */
    public CompletableFuture<RedisClusterAsyncCommands<String, String>> generalCommands() {
        return general.open().thenApply(RedisTopology.Commands::async);
    }

    private static RedisClusterAsyncCommands<String, String> asyncIfOpen(
            Reconnecting<RedisTopology.Commands> connection) {
        RedisTopology.Commands open = connection.ifOpen();
        return open == null ? null : open.async();
    }

    private Reconnecting<RedisTopology.Commands> laneOrGeneral() {
        Reconnecting<RedisTopology.Commands> lane = lanes.forCurrentThread();
        return lane == null ? general : lane;
    }

    /** See {@link TimeLimit#within}. */
    public <T> CompletableFuture<T> withinTimeLimit(CompletableFuture<T> work) {
        return timeLimit.within(work);
    }

    /** Opens every connection decisions may use (the lanes and the general one) ahead of the first request. */
    public Mono<Void> openAll() {
        return Flux.fromIterable(lanes.all()).concatMap(Reconnecting::get).then(general.get()).then();
    }

    /** How many event loops have a decision connection of their own. */
    public int laneCount() {
        return lanes.all().size();
    }

    /** The general client's resources: on the application's threads when it has client resources. */
    public ClientResources generalResources() {
        return resources.general();
    }

    /**
     * The messages published on a channel (by any instance), on a connection of their own. Survives
     * Redis outages: Lettuce resubscribes after a reconnect, and a failed first connect is tried again.
     */
    public Flux<String> messages(String channel) {
        return pubSub.messages(channel);
    }

    /** Shuts down the lanes, the general client, the resources this library owns, and the timer. */
    @Override
    public void close() {
        lanes.close();
        client.shutdown().run();
        resources.shutdown();
        timeLimit.stop();
    }
}
