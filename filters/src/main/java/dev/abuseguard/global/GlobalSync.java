package dev.abuseguard.global;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.logging.LogValue;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@code global-sync-interval}: adds what this instance admitted under global limits to the shared counters
 * and reads their totals, all actions in one script call ({@code global-sync.lua}, one slot: {@code {g}}), off the
 * request path. When the call fails, nothing is lost: the counts stay local and go with the next sync, and
 * meanwhile each instance limits from its own count and the last total it read. Without Redis there is nothing to
 * sync: the instance's own count is the whole count.
 */
public final class GlobalSync implements AutoCloseable {

    static final LuaScript SCRIPT = LuaScript.load("/dev/abuseguard/global/global-sync.lua");
    private static final Logger log = LoggerFactory.getLogger(GlobalSync.class);

    private final GlobalLimits limits;
    private final RedisScripts redis;
    private final Disposable running;
    private final AtomicLong failures = new AtomicLong();

    private GlobalSync(GlobalLimits limits, RedisScripts redis, Duration interval) {
        this.limits = limits;
        this.redis = redis;
        this.running = redis == null ? null : Flux.interval(interval, interval).onBackpressureDrop()
                .concatMap(tick -> sync(), 1)
                .subscribe();
    }

    /** @param connection Redis, or {@code null}: then each instance counts alone and nothing runs */
    public static GlobalSync start(GlobalLimits limits, LettuceConnection connection, Duration interval) {
        return new GlobalSync(limits, connection == null ? null : new RedisScripts(connection), interval);
    }

    /** The SHA-1 of the sync script, as {@code EVALSHA} names it (for tests that watch Redis). */
    public static String scriptSha() {
        return SCRIPT.sha1();
    }

    /** One sync now: what the loop does every interval. Never fails; a failed call leaves the counts local. */
    public Mono<Void> sync() {
        return Mono.defer(() -> {
            List<GlobalLimits.Pending> pending = limits.toSync();
            if (pending.isEmpty() || redis == null) {
                return Mono.empty();
            }
            String[] keys = new String[pending.size()];
            String[] args = new String[pending.size() * 2];
            for (int i = 0; i < keys.length; i++) {
                GlobalLimits.Pending p = pending.get(i);
                keys[i] = p.key();
                args[2 * i] = Long.toString(p.delta());
                args[2 * i + 1] = Long.toString(p.ttlMillis());
            }
            return redis.<List<Object>>run(SCRIPT, ScriptOutputType.MULTI, keys, args)
                    .doOnNext(totals -> {
                        for (int i = 0; i < keys.length; i++) {
                            GlobalLimits.Pending p = pending.get(i);
                            p.window().synced(p.delta(), ((Number) totals.get(i)).longValue());
                        }
                        failures.set(0);
                    })
                    .then()
                    .onErrorResume(error -> {
                        if (failures.getAndIncrement() == 0) {
                            log.warn("event=global_sync_failed error={} (global limits count locally until Redis "
                                    + "answers)", LogValue.quoted(error));
                        }
                        return Mono.empty();
                    });
        });
    }

    @Override
    public void close() {
        if (running != null) {
            running.dispose();
        }
    }
}
