package dev.abuseguard.audit;

import dev.abuseguard.decision.DecisionEvents;
import dev.abuseguard.logging.LogValue;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Turns what happens into audit events: one structured log line each (key=value, ids as given, no
 * secrets) and an entry in the shared trail, written off the request path. A new block also raises
 * an alert.
 */
public final class AbuseEvents implements DecisionEvents {

    private static final Logger log = LoggerFactory.getLogger("abuse-guard.audit");
    /** The most shadow violations logged a second by one instance; the rest are counted in the next line. */
    public static final int SHADOW_LINES_PER_SECOND = 100;

    private final AuditTrail trail;
    private final WebhookAlerts alerts;
    private final Clock clock;
    private final LogBudget shadowLines = new LogBudget(SHADOW_LINES_PER_SECOND);

    public AbuseEvents(AuditTrail trail, WebhookAlerts alerts, Clock clock) {
        this.trail = trail;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** A 429; {@code newlyBlocked} when it took the user to the block threshold. */
    @Override
    public void violation(String userId, String action, long score, boolean newlyBlocked, long blockedUntil) {
        long now = clock.millis();
        AuditEvent violation = AuditEvent.of(EventType.VIOLATION, now, userId, action, score, "gateway", "", 0);
        if (!newlyBlocked) {
            emit(violation);
            return;
        }
        AuditEvent block = AuditEvent.of(EventType.BLOCK, now, userId, action, score, "gateway",
                blockedUntil < 0 ? "until lifted" : "until " + Instant.ofEpochMilli(blockedUntil), blockedUntil);
        logLine(violation);
        logLine(block);
        // the block is written once the violation that caused it is: the trail lists them in that order
        trail.append(violation)
                .onErrorResume(error -> {
                    logFailure(violation, error);
                    return Mono.empty();
                })
                .then(Mono.defer(() -> trail.append(block)))
                .subscribe(null, error -> logFailure(block, error));
        alerts.blocked(block);
    }

    /**
     * A request that shadow mode forwarded although enforcing would have refused it ({@code outcome}): one log
     * line, within {@link #SHADOW_LINES_PER_SECOND}, and nothing in the trail, since a shadow refusal blocks no
     * one and would otherwise let one client push every other event out of it. Counted by the metrics and trends.
     */
    @Override
    public void shadowViolation(String userId, String action, String outcome, long score) {
        long suppressed = shadowLines.take(clock.millis());
        if (suppressed >= 0) {
            log.info("event=shadow_violation user={} action={} outcome={} score={} by=gateway suppressed={}",
                    LogValue.token(userId), LogValue.token(action), LogValue.token(outcome), score, suppressed);
        }
    }

    /** A block the local store decided while the shared store was away, now written there. */
    @Override
    public void blockedWhileAway(String userId, long score, long blockedUntil) {
        emit(AuditEvent.of(EventType.BLOCK, clock.millis(), userId, "", score, "gateway",
                "decided locally while the shared store was away", blockedUntil));
    }

    /**
     * What an admin did to one user. Unlike the gateway's own events this one is awaited: its write also moves
     * the user in the cross-user indexes (out of the blocked users, for an unban or reset), and a failure there
     * would let the next reload of blocks undo what the admin did. The admin gets the error instead, and
     * doing the same again completes it.
     */
    public Mono<Void> admin(EventType type, String userId, long score, String by, String detail, long blockedUntil) {
        AuditEvent event = AuditEvent.of(type, clock.millis(), userId, "", score, by, detail, blockedUntil);
        logLine(event);
        return trail.append(event).doOnError(error -> logFailure(event, error));
    }

    /** An action's rate spiked: an audit event and an alert, with the rates in {@code detail}. */
    public void spike(String action, String detail) {
        AuditEvent spike = AuditEvent.of(EventType.SPIKE, clock.millis(), "", action, 0, "gateway", detail, 0);
        emit(spike);
        alerts.spike(spike);
    }

    @Override
    public void storeFailedOver(String detail) {
        emit(AuditEvent.of(EventType.FAILOVER, clock.millis(), "", "", 0, "gateway", detail, 0));
    }

    @Override
    public void storeRecovered(String detail) {
        emit(AuditEvent.of(EventType.RECOVERY, clock.millis(), "", "", 0, "gateway", detail, 0));
    }

    private void emit(AuditEvent event) {
        logLine(event);
        trail.append(event).subscribe(null, error -> logFailure(event, error));
    }

    private static void logLine(AuditEvent event) {
        log.info("event={} user={} action={} score={} by={} detail={}", event.type().wireName(),
                LogValue.token(event.userId()), LogValue.token(event.action()), event.score(),
                        LogValue.token(event.by()),
                LogValue.quoted(event.detail()));
    }

    private static void logFailure(AuditEvent event, Throwable error) {
        log.warn("event=audit_write_failed type={} user={} error={}", event.type().wireName(),
                LogValue.token(event.userId()), LogValue.quoted(error));
    }
}
