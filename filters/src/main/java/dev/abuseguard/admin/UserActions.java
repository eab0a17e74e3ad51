package dev.abuseguard.admin;

import dev.abuseguard.abuse.AbuseRecord;
import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.audit.AbuseEvents;
import dev.abuseguard.audit.EventType;
import dev.abuseguard.overrides.Tiers;
import dev.abuseguard.overrides.UserOverrides;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.policy.SlidingLogCap;
import dev.abuseguard.registry.AbuseRegistry;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.StrategyType;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * What an operator does to one user, the same for every way in (the admin API, a moderator's command): the input
 * checked ({@link InvalidAdminInput}, {@link AdminTargetNotFound}), the registry or the overrides changed, and the
 * change audited with the operator as its actor. Every method completes once the change and its audit event are
 * written; a failure of either is the caller's error, never swallowed.
 */
public final class UserActions {

    private final AbuseRegistry registry;
    private final UserOverrides overrides;
    private final Tiers tiers;
    private final AbuseEvents events;
    private final LivePolicies policies;
    private final Clock clock;

    public UserActions(AbuseRegistry registry, UserOverrides overrides, Tiers tiers, AbuseEvents events,
                       LivePolicies policies, Clock clock) {
        this.registry = registry;
        this.overrides = overrides;
        this.tiers = tiers;
        this.events = events;
        this.policies = policies;
        this.clock = clock;
    }

    /** The id as the filter checks it (the configured pattern in force), else {@link InvalidAdminInput}. */
    public String userId(String id) {
        return AdminInput.userId(id, policies.current().settings().identity().pattern());
    }

    /** The user's standing and last violations; {@link AdminTargetNotFound} when the gateway knows nothing of them. */
    public Mono<UserHistory> history(String id) {
        String userId = userId(id);
        return registry.user(userId)
                .switchIfEmpty(Mono.error(() -> new AdminTargetNotFound("The gateway has no record of user " + userId
                        + ".")));
    }

    /** Clears score, violations, block and every rate-limit state of the user. */
    public Mono<Void> reset(String id, Actor actor) {
        String userId = userId(id);
        return registry.reset(userId)
                .then(events.admin(EventType.RESET, userId, 0, actor.by(), actor.detail(""), 0));
    }

    /** @param durationText {@code null} or blank: until unbanned */
    public Mono<Void> ban(String id, String durationText, String reason, Actor actor) {
        String userId = userId(id);
        Duration duration = AdminInput.duration(durationText, "duration", true);
        String why = reason == null ? "" : reason;
        String detail = (duration == null ? "until unbanned" : "for " + duration)
                + (why.isEmpty() ? "" : "; reason: " + why);
        long until = duration == null ? AbuseRecord.BANNED : clock.millis() + duration.toMillis();
        return registry.ban(userId, duration)
                .flatMap(score -> events.admin(EventType.BAN, userId, score, actor.by(), actor.detail(detail),
                        until));
    }

    /** Lifts a block or ban; {@link AdminTargetNotFound} when the gateway knows nothing of the user. */
    public Mono<Void> unban(String id, Actor actor) {
        String userId = userId(id);
        return registry.unban(userId)
                .switchIfEmpty(Mono.error(() -> new AdminTargetNotFound("The gateway has no record of user " + userId
                        + ".")))
                .flatMap(score -> events.admin(EventType.UNBLOCK, userId, score, actor.by(), actor.detail(""), 0));
    }

    /**
     * Forwards the user without spending quota, never scored or blocked; lifts a current block too, so the copies
     * of blocks on every instance let the user through.
     *
     * @param durationText {@code null} or blank: until lifted
     */
    public Mono<Void> exempt(String id, String reason, String durationText, Actor actor) {
        String userId = userId(id);
        Duration duration = AdminInput.duration(durationText, "duration", true);
        String why = reason == null ? "" : reason;
        return overrides.exempt(userId, why, duration)
                .then(registry.unban(userId).then())
                .then(override(userId, actor, "exempt " + (duration == null ? "until lifted" : "for " + duration)
                        + (why.isEmpty() ? "" : "; reason: " + why)));
    }

    public Mono<Void> liftExempt(String id, Actor actor) {
        String userId = userId(id);
        return removed(overrides.liftExempt(userId), userId, actor, "exempt lifted",
                "User " + userId + " is not exempt.");
    }

    /** The user's own limit of {@code action}, within what the action's strategy allows. */
    public Mono<Void> limit(String id, String action, Long limit, String windowText, Actor actor) {
        String userId = userId(id);
        ActionPolicy policy = known(action);
        if (limit == null || limit < 1) {
            throw new InvalidAdminInput("limit", "limit must be a positive whole number.");
        }
        Duration window = AdminInput.duration(windowText, "window", false);
        if (policy.strategy() == StrategyType.SLIDING_WINDOW && limit > SlidingLogCap.MAX_LIMIT) {
            throw new InvalidAdminInput("limit", action + " is a sliding-window action: limit must be at most "
                    + SlidingLogCap.MAX_LIMIT + ".");
        }
        Quota quota;
        try {
            quota = new Quota(limit, window.toMillis(), policy.maxDelay().toMillis());
        } catch (IllegalArgumentException e) {
            throw new InvalidAdminInput("limit", e.getMessage());
        }
        return overrides.limit(userId, action, quota)
                .then(override(userId, actor, "limit of " + action + " " + quota.limit() + " per " + window));
    }

    public Mono<Void> clearLimit(String id, String action, Actor actor) {
        String userId = userId(id);
        known(action);
        return removed(overrides.clearLimit(userId, action), userId, actor,
                "limit of " + action + " back to the tier's or action's",
                "User " + userId + " has no own limit of " + action + ".");
    }

    public Mono<Void> tier(String id, String tier, Actor actor) {
        String userId = userId(id);
        if (tier == null || !tiers.exists(tier)) {
            throw new InvalidAdminInput("tier", "tier must name a tier of abuse-guard.tiers.");
        }
        return overrides.tier(userId, tier).then(override(userId, actor, "tier " + tier));
    }

    public Mono<Void> clearTier(String id, Actor actor) {
        String userId = userId(id);
        return removed(overrides.clearTier(userId), userId, actor, "tier removed", "User " + userId
                + " has no tier.");
    }

    private Mono<Void> override(String userId, Actor actor, String detail) {
        return events.admin(EventType.OVERRIDE, userId, 0, actor.by(), actor.detail(detail), 0);
    }

    /** Audited when there was something to remove, else {@link AdminTargetNotFound}. */
    private Mono<Void> removed(Mono<Boolean> removal, String userId, Actor actor, String detail, String nothing) {
        return removal.flatMap(was -> was ? override(userId, actor, detail)
                : Mono.error(new AdminTargetNotFound(nothing)));
    }

    private ActionPolicy known(String action) {
        ActionPolicy policy = policies.current().settings().actions().get(action);
        if (policy == null) {
            throw new AdminTargetNotFound("No action named " + action + " is configured.");
        }
        return policy;
    }
}
