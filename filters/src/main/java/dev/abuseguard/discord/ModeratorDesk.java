package dev.abuseguard.discord;

import dev.abuseguard.abuse.UserHistory;
import dev.abuseguard.admin.Actor;
import dev.abuseguard.admin.AdminTargetNotFound;
import dev.abuseguard.admin.InvalidAdminInput;
import dev.abuseguard.admin.UserActions;
import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.LivePolicies;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Does what a moderator asked through {@link UserActions}, the admin API's own calls (the same checks, registry
 * changes and audit events), with the moderator as the actor and the guild in the event's detail, and says what
 * came of it. Errors become answers the moderator reads; none reaches Discord as a failure.
 */
final class ModeratorDesk {

    private static final Logger log = LoggerFactory.getLogger(ModeratorDesk.class);
    /** Said of any failure: the change may have been made before its audit event failed, so the moderator checks. */
    static final String STORE_AWAY = "The gateway can't reach its store right now, so this may not have been done. "
            + "Use status to check, or try again in a moment.";

    private final UserActions actions;
    private final LivePolicies policies;

    ModeratorDesk(UserActions actions, LivePolicies policies) {
        this.actions = actions;
        this.policies = policies;
    }

    /** The answer Discord gets; the caller's permission is checked before this. */
    Mono<ModeratorMessages.Response> answer(ModeratorRequests.Caller caller, ModeratorRequests.Ask ask) {
        Actor actor = new Actor("discord:" + caller.userId(), "guild " + caller.guildId());
        return Mono.defer(() -> done(ask, actor))
                .onErrorResume(InvalidAdminInput.class, invalid -> Mono.just(ModeratorMessages.text(
                        "**" + invalid.field() + "**: " + invalid.getMessage())))
                .onErrorResume(AdminTargetNotFound.class, missing -> Mono.just(ModeratorMessages.text(
                        missing.getMessage())))
                .onErrorResume(failure -> {
                    log.warn("event=discord_moderator_failed subcommand={} error={}", ask.subcommand().wireName(),
                            LogValue.quoted(failure));
                    return Mono.just(ModeratorMessages.text(STORE_AWAY));
                });
    }

    private Mono<ModeratorMessages.Response> done(ModeratorRequests.Ask ask, Actor actor) {
        String id = ask.targetId();
        return switch (ask.subcommand()) {
            case STATUS -> status(ask, null);
            case HISTORY -> history(id).map(h -> ModeratorMessages.respond(
                    ModeratorMessages.history(id, ask.targetName(), h.orElse(null)), false));
            case RESET -> actions.reset(id, actor).then(status(ask, "Reset: score, violations, block and "
                    + "rate-limit state cleared."));
            case BAN -> actions.ban(id, ask.duration(), ask.reason(), actor)
                    .then(status(ask, "Banned " + lasting(ask.duration(), "until unbanned") + because(ask.reason())));
            case UNBAN -> actions.unban(id, actor).then(status(ask, "Unbanned."));
            case EXEMPT -> actions.exempt(id, ask.reason(), ask.duration(), actor)
                    .then(status(ask, "Exempt from every limit " + lasting(ask.duration(), "until lifted")
                            + because(ask.reason())));
            case LIMITS -> Mono.just(ModeratorMessages.respond(ModeratorMessages.limits(
                    new TreeMap<>(policies.current().settings().actions())), false));
        };
    }

    /** The user's standing as it is now, read after whatever was just done. */
    private Mono<ModeratorMessages.Response> status(ModeratorRequests.Ask ask, String done) {
        return history(ask.targetId()).map(h -> ModeratorMessages.respond(
                ModeratorMessages.status(ask.targetId(), ask.targetName(), h.orElse(null), done), ask.clicked()));
    }

    /** The user's history, or an empty one (never seen, or reset) as a clean standing. */
    private Mono<Optional<UserHistory>> history(String id) {
        return actions.history(id).map(Optional::of)
                .onErrorResume(AdminTargetNotFound.class, none -> Mono.just(Optional.empty()));
    }

    private static String lasting(String duration, String otherwise) {
        return duration == null || duration.isBlank() ? otherwise : "for " + duration.trim();
    }

    private static String because(String reason) {
        return reason == null || reason.isBlank() ? "." : ": " + ModeratorMessages.escape(reason.strip()) + ".";
    }
}
