package dev.abuseguard.audit;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import dev.abuseguard.redis.UserKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The audit trail in a Redis stream ({@code ag:{idx}:events}) of bounded length, shared by every instance;
 * appending also keeps the cross-user indexes the admin API reads (record-event.lua).
 */
public final class RedisAuditTrail implements AuditTrail {

    private static final LuaScript RECORD = LuaScript.load("/dev/abuseguard/redis/record-event.lua");
    private static final Duration POLL = Duration.ofSeconds(1);

    private final RedisScripts redis;
    private final LivePolicies policies;
    private final long maxLength;

    public RedisAuditTrail(LettuceConnection connection, LivePolicies policies, long maxLength) {
        this.redis = new RedisScripts(connection);
        this.policies = policies;
        this.maxLength = maxLength;
    }

    @Override
    public Mono<Void> append(AuditEvent event) {
        return redis.<String>run(RECORD, ScriptOutputType.VALUE, UserKeys.INDEX, event.type().wireName(),
                event.userId(), event.action(), Long.toString(event.score()), event.by(), event.detail(),
                Long.toString(event.blockedUntil()), Long.toString(policies.rules().retentionMillis()),
                Long.toString(maxLength)).then();
    }

    @Override
    public Flux<AuditEvent> recent(int limit) {
        return redis.commands().flatMapMany(r -> r.xrevrange(UserKeys.INDEX[3], Range.create("-", "+"),
                Limit.from(limit))).map(RedisAuditTrail::toEvent);
    }

    @Override
    public Flux<AuditEvent> follow() {
        AtomicReference<String> last = new AtomicReference<>();
        return recent(1).map(AuditEvent::id).defaultIfEmpty("0-0").doOnNext(last::set)
                .thenMany(Flux.interval(POLL).onBackpressureDrop()
                        .concatMap(tick -> redis.commands().flatMapMany(r -> r.xrange(UserKeys.INDEX[3],
                                        Range.from(Range.Boundary.excluding(last.get()), Range.Boundary.unbounded())))
                                .map(RedisAuditTrail::toEvent)
                                .doOnNext(event -> last.set(event.id()))
                                .onErrorResume(e -> Flux.empty())));
    }

    private static AuditEvent toEvent(StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        long at = Long.parseLong(message.getId().substring(0, message.getId().indexOf('-')));
        return new AuditEvent(message.getId(), EventType.valueOf(body.get("type").toUpperCase(Locale.ROOT)), at,
                body.get("user"), body.get("action"), Long.parseLong(body.get("score")), body.get("by"),
                body.get("detail"), 0);
    }
}
