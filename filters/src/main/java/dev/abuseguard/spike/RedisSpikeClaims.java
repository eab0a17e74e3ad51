package dev.abuseguard.spike;

import dev.abuseguard.lettuce.LettuceConnection;
import io.lettuce.core.SetArgs;
import reactor.core.publisher.Mono;

/**
 * Claims a spike's episode in Redis with one {@code SET ag:{g}:spike:<action> NX PX}: the first instance to see the
 * spike alerts, the others find the key taken. Only when a spike starts, never on the request path.
 */
public final class RedisSpikeClaims implements SpikeWatch.Claims {

    private final LettuceConnection connection;

    public RedisSpikeClaims(LettuceConnection connection) {
        this.connection = connection;
    }

    static String key(String action) {
        return "ag:{g}:spike:" + action;
    }

    @Override
    public Mono<Boolean> claim(String action, long ttlMillis) {
        return connection.commands().flatMap(redis -> redis.set(key(action), "1", SetArgs.Builder.nx().px(ttlMillis)))
                .map("OK"::equals).defaultIfEmpty(false);
    }
}
