package dev.abuseguard.redis;

import dev.abuseguard.lettuce.LettuceConnection;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import reactor.core.publisher.Mono;

/**
 * Runs Lua scripts on Redis: {@code EVALSHA}, and {@code EVAL} (which also caches the script on the
 * server) only when the server answers NOSCRIPT, e.g. after a restart. Works on a single server and on
 * a cluster alike: a script's keys share one hash tag, so Lettuce routes it to one node. Scripts go
 * over the decision lane of the calling event loop, through Lettuce's async API: on the path every
 * request takes, a future per command is lighter than a chain of reactive operators.
 */
public final class RedisScripts {

    private final LettuceConnection connection;

    public RedisScripts(LettuceConnection connection) {
        this.connection = connection;
    }

    /** {@link #runAsync}, started on subscription. */
    public <T> Mono<T> run(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return Mono.fromCompletionStage(() -> runAsync(script, type, keys, args));
    }

    /** @param <T> for {@code MULTI} a {@code List<Object>}: a multi reply arrives as one element */
    public <T> CompletableFuture<T> runAsync(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        boolean ascii = ascii(keys) && ascii(args);
        RedisClusterAsyncCommands<String, String> open = ascii ? connection.laneCommandsIfOpen()
                : connection.generalCommandsIfOpen();
        if (open != null) {
            return evalsha(open, script, type, keys, args);
        }
        // the connection is opened (again) first: the time limit covers the opening and the script together
        return connection.withinTimeLimit((ascii ? connection.laneCommands() : connection.generalCommands())
                .thenCompose(redis -> evalsha(redis, script, type, keys, args)));
    }

    private static <T> CompletableFuture<T> evalsha(RedisClusterAsyncCommands<String, String> redis, LuaScript script,
                                                    ScriptOutputType type, String[] keys, String[] args) {
        return redis.<T>evalsha(script.sha1(), type, keys, args).toCompletableFuture()
                .exceptionallyCompose(error -> unwrap(error) instanceof RedisNoScriptException
                        ? redis.<T>eval(script.source(), type, keys, args).toCompletableFuture()
                        : CompletableFuture.failedFuture(unwrap(error)));
    }

    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The lanes speak ASCII (see {@link LettuceConnection}); anything else takes the general connection. */
    private static boolean ascii(String[] values) {
        for (String value : values) {
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) > 0x7F) {
                    return false;
                }
            }
        }
        return true;
    }

    public Mono<RedisClusterReactiveCommands<String, String>> commands() {
        return connection.commands();
    }

    public Mono<Void> openAll() {
        return connection.openAll();
    }
}
