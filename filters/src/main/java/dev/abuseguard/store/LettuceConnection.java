package dev.abuseguard.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One multiplexed Lettuce connection to Redis (a single server or a cluster), opened lazily and opened
 * again after a failed attempt: the gateway starts and serves without Redis, and picks Redis up when it
 * appears. Once open, Lettuce reconnects by itself; commands sent while disconnected fail at once
 * instead of queueing, so the circuit breaker sees the outage.
 */
public final class LettuceConnection implements AutoCloseable {

    private final ClientResources resources;
    private final Runnable shutdown;
    private final Supplier<CompletableFuture<RedisClusterReactiveCommands<String, String>>> connector;
    private final Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSubConnector;
    private final AtomicReference<CompletableFuture<RedisClusterReactiveCommands<String, String>>> attempt =
            new AtomicReference<>();
    private volatile RedisClusterReactiveCommands<String, String> open;

    private LettuceConnection(ClientResources resources, Runnable shutdown,
                              Supplier<CompletableFuture<RedisClusterReactiveCommands<String, String>>> connector,
                              Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSub) {
        this.resources = resources;
        this.shutdown = shutdown;
        this.connector = connector;
        this.pubSubConnector = pubSub;
    }

    /**
     * Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default grows to 30 s), so a
     * Redis that comes back is in use again within about a second of the breaker's next probe.
     */
    private static ClientResources resources() {
        return DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    public static LettuceConnection standalone(RedisURI uri, Duration connectTimeout) {
        ClientResources resources = resources();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return new LettuceConnection(resources, client::shutdown,
                () -> client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().thenApply(c -> c.reactive()),
                () -> client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture());
    }

    public static LettuceConnection cluster(List<RedisURI> seeds, Duration connectTimeout) {
        ClientResources resources = resources();
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        // connectAsync needs the slot map already loaded (else "Partitions not initialized"): load it first,
        // without blocking, on every attempt, so a retry after a failed start-up reads the topology afresh
        return new LettuceConnection(resources, client::shutdown,
                () -> client.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> client.connectAsync(StringCodec.UTF8))
                        .thenApply(c -> c.reactive()),
                () -> client.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> client.connectPubSubAsync(StringCodec.UTF8)));
    }

    /** The commands of the open connection, opening it (again) first when needed. */
    Mono<RedisClusterReactiveCommands<String, String>> commands() {
        RedisClusterReactiveCommands<String, String> ready = open;
        if (ready != null) {
            return Mono.just(ready);
        }
        return Mono.defer(() -> Mono.fromFuture(currentAttempt(), true));
    }

    /**
     * The messages published on a channel (by any instance), on a connection of their own. Survives
     * Redis outages: Lettuce resubscribes after a reconnect, and a failed first connect is tried again.
     */
    Flux<String> messages(String channel) {
        return Mono.defer(() -> Mono.fromFuture(pubSubConnector.get()))
                .flatMapMany(pubSub -> pubSub.reactive().subscribe(channel)
                        .thenMany(pubSub.reactive().observeChannels())
                        .map(ChannelMessage::getMessage)
                        .doFinally(signal -> pubSub.closeAsync()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)));
    }

    private CompletableFuture<RedisClusterReactiveCommands<String, String>> currentAttempt() {
        CompletableFuture<RedisClusterReactiveCommands<String, String>> current = attempt.get();
        if (current == null || current.isCompletedExceptionally()) {
            CompletableFuture<RedisClusterReactiveCommands<String, String>> next = connector.get()
                    .thenApply(commands -> open = commands);
            return attempt.compareAndSet(current, next) ? next : attempt.get();
        }
        return current;
    }

    @Override
    public void close() {
        shutdown.run();
        resources.shutdown();
    }
}
