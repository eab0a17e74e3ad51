package dev.abuseguard.audit;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.redis.BlockInvalidations;
import dev.abuseguard.redis.CrossUserIndex;
import dev.abuseguard.redis.RedisScripts;
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
        ScoringRules rules = policies.rules();
        return redis.<String>run(CrossUserIndex.RECORD_EVENT, ScriptOutputType.VALUE, CrossUserIndex.recordKeys(),
                event.type().wireName(), event.userId(), event.action(), Long.toString(event.score()), event.by(),
                event.detail(), Long.toString(event.blockedUntil()),
                Long.toString(Math.max(rules.retentionMillis(), rules.blockRetentionMillis())),
                Long.toString(maxLength), Long.toString(event.atMillis()),
                Long.toString(recordExpiresAt(event, rules)),
                Long.toString(policies.current().settings().abuse().maxTrackedUsers()),
                BlockInvalidations.CHANNEL).then();
    }

    /** When the event's user's record expires, as the decision and ban scripts set its TTL; 0: unchanged. */
    private static long recordExpiresAt(AuditEvent event, ScoringRules rules) {
        return switch (event.type()) {
            case VIOLATION, BLOCK, BAN -> event.atMillis() + rules.keepMillis(event.blockedUntil(), event.atMillis());
            default -> 0;
        };
    }

    @Override
    public Flux<AuditEvent> recent(int limit) {
        return redis.commands().flatMapMany(r -> r.xrevrange(CrossUserIndex.EVENTS, Range.create("-", "+"),
                Limit.from(limit))).map(RedisAuditTrail::toEvent);
    }

    @Override
    public Flux<AuditEvent> follow() {
        AtomicReference<String> last = new AtomicReference<>();
        return recent(1).map(AuditEvent::id).defaultIfEmpty("0-0").doOnNext(last::set)
                .thenMany(Flux.interval(POLL).onBackpressureDrop()
                        .concatMap(tick -> redis.commands().flatMapMany(r -> r.xrange(CrossUserIndex.EVENTS,
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
