package dev.abuseguard.lettuce;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Messages published on Redis channels (the shared blocks' news), each subscription on a pub/sub connection
 * of its own, from the general client. Survives Redis outages: Lettuce resubscribes after a reconnect, and
 * a failed first connect is tried again.
 */
final class PubSub {

    private final Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> connector;

    PubSub(Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> connector) {
        this.connector = connector;
    }

    /** The messages published on a channel (by any instance); the connection closes when the flux ends. */
    Flux<String> messages(String channel) {
        return Mono.defer(() -> Mono.fromFuture(connector.get()))
                .flatMapMany(pubSub -> pubSub.reactive().subscribe(channel)
                        .thenMany(pubSub.reactive().observeChannels())
                        .map(ChannelMessage::getMessage)
                        .doFinally(signal -> pubSub.closeAsync()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)));
    }
}
