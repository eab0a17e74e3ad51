package dev.abuseguard.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Mono;

/**
 * Runs Lua scripts on Redis: {@code EVALSHA}, and {@code EVAL} (which also caches the script on the
 * server) only when the server answers NOSCRIPT, e.g. after a restart. Works on a single server and on
 * a cluster alike: a script's keys share one hash tag, so Lettuce routes it to one node.
 */
final class RedisScripts {

    private final LettuceConnection connection;

    RedisScripts(LettuceConnection connection) {
        this.connection = connection;
    }

    /** @param <T> for {@code MULTI} a {@code List<Object>}: a multi reply arrives as one element */
    <T> Mono<T> run(LuaScript script, ScriptOutputType type, String[] keys, String... args) {
        return connection.commands().flatMap(redis -> redis.<T>evalsha(script.sha1(), type, keys, args).next()
                .onErrorResume(RedisNoScriptException.class,
                        e -> redis.<T>eval(script.source(), type, keys, args).next()));
    }

    Mono<RedisClusterReactiveCommands<String, String>> commands() {
        return connection.commands();
    }
}
