package dev.abuseguard.store;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Runs decision scripts on Redis: {@code EVALSHA}, and {@code EVAL} (which also caches the script on
 * the server) only when the server answers NOSCRIPT, e.g. after a restart. Works on a single server and
 * on a cluster alike: a script's keys share one hash tag, so Lettuce routes it to one node.
 */
final class RedisScripts {

    private final LettuceConnection connection;

    RedisScripts(LettuceConnection connection) {
        this.connection = connection;
    }

    Mono<List<Object>> run(DecisionScript script, String[] keys, String[] args) {
        return connection.commands().flatMap(redis -> evalsha(redis, script, keys, args)
                .onErrorResume(RedisNoScriptException.class, e -> redis.<List<Object>>eval(script.source(),
                        ScriptOutputType.MULTI, keys, args).next()));
    }

    private static Mono<List<Object>> evalsha(RedisScriptingReactiveCommands<String, String> redis,
                                              DecisionScript script, String[] keys, String[] args) {
        // a MULTI reply arrives as one element: the whole list
        return redis.<List<Object>>evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args).next();
    }
}
