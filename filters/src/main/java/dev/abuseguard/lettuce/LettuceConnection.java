package dev.abuseguard.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
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
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Lettuce connections to Redis (a single server, a master watched by Sentinel, or a cluster), opened lazily and opened
 * again after a
 * failed attempt: the gateway starts and serves without Redis, and picks Redis up when it appears. Once
 * open, Lettuce reconnects by itself; commands sent while disconnected fail at once instead of
 * queueing, so the circuit breaker sees the outage.
 *
 * <p>Decisions go over {@linkplain DecisionLanes lanes}: one connection per event loop of the HTTP server,
 * running on that loop, so that a request's decision is written, answered and followed up on the thread
 * that already serves the request. Everything else (admin, audit, pub/sub, requests from other threads)
 * uses one general connection on Lettuce's own threads.
 */
public final class LettuceConnection implements AutoCloseable {

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

    private final Reconnecting<Commands> general;
    private final DecisionLanes lanes;
    private final Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSubConnector;
    private final List<Runnable> shutdown;
    private final HashedWheelTimer timer;
    private final long scriptTimeoutNanos;

    /** The two faces of one connection: reactive for the general API, async for the lean decision path. */
    record Commands(RedisClusterReactiveCommands<String, String> reactive,
                    RedisClusterAsyncCommands<String, String> async) {
    }

    /** How to reach Redis with given client resources. */
    private record Client(Supplier<CompletableFuture<Commands>> connect,
                          Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSub,
                          Runnable shutdown) {
    }

    private LettuceConnection(BiFunction<ClientResources, StringCodec, Client> clients, Duration scriptTimeout,
                              List<EventLoop> laneLoops) {
        // command timeouts are the decision's time limit (250 ms by default): a wheel of 10 ms ticks keeps them
        // close to it (Lettuce's own timer ticks every 100 ms); one timer for every client here
        HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("abuse-guard-redis-timer", true),
                10, TimeUnit.MILLISECONDS);
        this.timer = timer;
        this.scriptTimeoutNanos = scriptTimeout.toNanos();
        ClientResources resources = resources(DefaultClientResources.builder().timer(timer));
        Client client = clients.apply(resources, StringCodec.UTF8);
        this.general = new Reconnecting<>(client.connect());
        this.pubSubConnector = client.pubSub();
        List<Runnable> stops = new ArrayList<>();
        List<Reconnecting<Commands>> laneConnections = new ArrayList<>();
        for (EventLoop loop : laneLoops) {
            ClientResources onLoop = resources(DefaultClientResources.builder()
                    .eventLoopGroupProvider(new SingleEventLoopProvider(loop))
                    .eventExecutorGroup(resources.eventExecutorGroup())
                    .timer(resources.timer())
                    .nettyCustomizer(CONSOLIDATE_FLUSHES));
            // decisions carry only ASCII (validated ids, numbers, action names): with ASCII, Lettuce knows each
            // argument's length up front and writes it straight into the command, without a buffer per argument
            Client laneClient = clients.apply(onLoop, StringCodec.ASCII);
            laneConnections.add(new Reconnecting<>(laneClient.connect()));
            stops.add(() -> {
                laneClient.shutdown().run();
                onLoop.shutdown();
            });
        }
        stops.add(client.shutdown());
        stops.add(resources::shutdown);
        stops.add(timer::stop);
        this.lanes = new DecisionLanes(laneLoops, laneConnections);
        this.shutdown = List.copyOf(stops);
    }

    /**
     * Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default grows to 30 s), so a
     * Redis that comes back is in use again within about a second of the breaker's next probe. Lettuce's
     * own command latency recorder is off: the gateway times its decisions with Micrometer already, and
     * the recorder would cost every command a histogram update.
     */
    private static ClientResources resources(DefaultClientResources.Builder builder) {
        return builder
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
    }

    /**
     * @param scriptTimeout the time limit of a decision
     * @param laneLoops the HTTP server's event loops, each to get a decision connection of its own; empty for
     *                  one general connection only
     */
    public static LettuceConnection standalone(RedisURI uri, SslOptions ssl, Duration connectTimeout,
                                               Duration scriptTimeout, List<EventLoop> laneLoops) {
        ClientOptions options = LettuceOptions.standalone(ssl, connectTimeout, scriptTimeout);
        return new LettuceConnection((resources, codec) -> {
            RedisClient client = RedisClient.create(resources);
            client.setOptions(options);
            return new Client(
                    () -> client.connectAsync(codec, uri).toCompletableFuture()
                            .thenApply(c -> new Commands(c.reactive(), c.async())),
                    () -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture(),
                    client::shutdown);
        }, scriptTimeout, laneLoops);
    }

    /**
     * A master watched by Sentinel: every connection (each lane too) is a master-replica connection that
     * asks the sentinels for the master, listens to their news and moves to the promoted replica by itself
     * after a failover; commands go to the master only ({@code ReadFrom.UPSTREAM}). Pub/sub resolves the
     * master through the sentinels on every (re)connect.
     */
    public static LettuceConnection sentinel(RedisURI uri, SslOptions ssl, Duration connectTimeout,
                                             Duration scriptTimeout, List<EventLoop> laneLoops) {
        ClientOptions options = LettuceOptions.standalone(ssl, connectTimeout, scriptTimeout);
        return new LettuceConnection((resources, codec) -> {
            RedisClient client = RedisClient.create(resources);
            client.setOptions(options);
            return new Client(
                    () -> MasterReplica.connectAsync(client, codec, uri).thenApply(c -> {
                        c.setReadFrom(ReadFrom.UPSTREAM);
                        return new Commands(c.reactive(), c.async());
                    }),
                    () -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture(),
                    client::shutdown);
        }, scriptTimeout, laneLoops);
    }

    /** A cluster, its topology followed as {@code refresh} says (see {@link ClusterRefresh}). */
    public static LettuceConnection cluster(List<RedisURI> seeds, SslOptions ssl, ClusterRefresh refresh,
                                            Duration connectTimeout, Duration scriptTimeout,
                                            List<EventLoop> laneLoops) {
        ClusterClientOptions options = LettuceOptions.cluster(ssl, refresh, connectTimeout, scriptTimeout);
        // connectAsync needs the slot map already loaded (else "Partitions not initialized"): load it first,
        // without blocking, on every attempt, so a retry after a failed start-up reads the topology afresh
        return new LettuceConnection((resources, codec) -> {
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.setOptions(options);
            return new Client(
                    () -> client.refreshPartitionsAsync().toCompletableFuture()
                            .<StatefulRedisClusterConnection<String, String>>thenCompose(
                                    loaded -> client.connectAsync(codec))
                            .thenCompose(LettuceConnection::withEveryUpstreamNode)
                            .thenApply(c -> new Commands(c.reactive(), c.async())),
                    () -> client.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(loaded -> client.connectPubSubAsync(StringCodec.UTF8)),
                    client::shutdown);
        }, scriptTimeout, laneLoops);
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

    /** The commands of the general connection, opening it (again) first when needed. */
    public Mono<RedisClusterReactiveCommands<String, String>> commands() {
        return general.get().map(Commands::reactive);
    }

    /**
     * The decision commands of the calling event loop's lane if it is open, else {@code null}. A caller that
     * is not one of the server's event loops, or a command that is not all ASCII, takes the general
     * connection instead.
     */
    public RedisClusterAsyncCommands<String, String> decisionCommandsIfOpen(boolean ascii) {
        Commands open = decisionConnection(ascii).ifOpen();
        return open == null ? null : open.async();
    }

    /** {@link #decisionCommandsIfOpen}, opening the connection (again) when needed. */
    public CompletableFuture<RedisClusterAsyncCommands<String, String>> decisionCommands(boolean ascii) {
        return decisionConnection(ascii).open().thenApply(Commands::async);
    }

    /**
     * {@code work} (a decision that had to open its connection first), failed with a
     * {@code RedisCommandTimeoutException} once the decision's time limit has passed: no request waits for
     * longer than that because a connection is being opened (the first, or a half-open probe's after an
     * outage). The opening goes on meanwhile, and the next decisions use the connection once it is open.
     */
    public <T> CompletableFuture<T> withinTimeLimit(CompletableFuture<T> work) {
        if (work.isDone()) {
            return work;
        }
        CompletableFuture<T> limited = new CompletableFuture<>();
        Timeout deadline = timer.newTimeout(expired -> limited.completeExceptionally(new RedisCommandTimeoutException(
                "no connection to Redis within the time limit (" + Duration.ofNanos(scriptTimeoutNanos).toMillis()
                        + " ms)")), scriptTimeoutNanos, TimeUnit.NANOSECONDS);
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

    private Reconnecting<Commands> decisionConnection(boolean ascii) {
        Reconnecting<Commands> lane = ascii ? lanes.forCurrentThread() : null;
        return lane == null ? general : lane;
    }

    /** Opens every connection decisions may use (the lanes and the general one) ahead of the first request. */
    public Mono<Void> openAll() {
        return Flux.fromIterable(lanes.all()).concatMap(Reconnecting::get).then(general.get()).then();
    }

    /** How many event loops have a decision connection of their own. */
    public int laneCount() {
        return lanes.all().size();
    }

    /**
     * The messages published on a channel (by any instance), on a connection of their own. Survives
     * Redis outages: Lettuce resubscribes after a reconnect, and a failed first connect is tried again.
     */
    public Flux<String> messages(String channel) {
        return Mono.defer(() -> Mono.fromFuture(pubSubConnector.get()))
                .flatMapMany(pubSub -> pubSub.reactive().subscribe(channel)
                        .thenMany(pubSub.reactive().observeChannels())
                        .map(ChannelMessage::getMessage)
                        .doFinally(signal -> pubSub.closeAsync()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)));
    }

    @Override
    public void close() {
        shutdown.forEach(Runnable::run);
    }
}
