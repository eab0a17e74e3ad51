package dev.abuseguard.discord;

import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.decision.Spend;
import dev.abuseguard.filter.BufferedBody;
import dev.abuseguard.filter.ProblemResponses;
import dev.abuseguard.logging.LogValue;
import dev.abuseguard.policy.Action;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The DiscordInteractions filter of one route: signature headers, body (bounded), signature, interaction,
 * decision, answer. Each step runs only once the one before it has passed, so nothing unverified is parsed,
 * counted or forwarded.
 *
 * <p>The signature check (about a millisecond of CPU with the JDK's EdDSA on Java 17) runs on the event loop that
 * read the request, as a TLS handshake does. Handed to another scheduler, a flood of forged requests would queue
 * their bodies there without bound; on the loop, the loop itself holds back what it reads.
 */
final class DiscordInteractionsFilter implements GatewayFilter {

    private static final Logger log = LoggerFactory.getLogger(DiscordInteractionsFilter.class);

    private final InteractionSignature signature;
    private final BoundedBody body;
    private final InteractionParser parser;
    private final InteractionActions actions;
    private final DecisionStore store;
    private final InteractionReplies replies;
    private final ProblemResponses problems;
    private final Duration answerWithin;
    private final InteractionReplays replays;
    private final ModeratorCommand moderators;

    /** @param moderators the gateway's own command, or null when it is off */
    DiscordInteractionsFilter(InteractionSignature signature, BoundedBody body, InteractionParser parser,
                              InteractionActions actions, DecisionStore store, InteractionReplies replies,
                              ProblemResponses problems, Duration answerWithin, InteractionReplays replays,
                              ModeratorCommand moderators) {
        this.signature = signature;
        this.body = body;
        this.parser = parser;
        this.actions = actions;
        this.store = store;
        this.replies = replies;
        this.problems = problems;
        this.answerWithin = answerWithin;
        this.replays = replays;
        this.moderators = moderators;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long deadlineNanos = System.nanoTime() + answerWithin.toNanos();
        InteractionSignature.Signed signed;
        try {
            signed = signature.signed(exchange.getRequest().getHeaders());
        } catch (Refusal refusal) {
            return refuse(exchange, refusal);
        }
        return body.read(exchange.getRequest())
                .flatMap(bytes -> verified(exchange, chain, signed, bytes, deadlineNanos))
                .onErrorResume(Refusal.class, refusal -> refuse(exchange, refusal));
    }

    private Mono<Void> verified(ServerWebExchange exchange, GatewayFilterChain chain,
                                InteractionSignature.Signed signed, byte[] bytes, long deadlineNanos) {
        signature.verify(signed, bytes);
        Interaction interaction = parser.parse(bytes);
        if (interaction.isPing()) {
            return replies.pong(exchange);
        }
        return replays.firstTime(interaction.id()).flatMap(first -> first
                ? decided(exchange, chain, bytes, interaction, deadlineNanos)
                : Mono.error(Refusal.replayed()));
    }

    private Mono<Void> decided(ServerWebExchange exchange, GatewayFilterChain chain, byte[] bytes,
                               Interaction interaction, long deadlineNanos) {
        if (moderators != null && moderators.handles(interaction)) {
            return moderated(exchange, bytes, interaction, deadlineNanos);
        }
        Action action = actions.of(interaction);
        return store.decide(interaction.userId(), action)
                .onErrorResume(failure -> undecided(action, failure))
                .flatMap(decision -> answer(exchange, chain, bytes, new Decided(interaction, action, decision),
                        deadlineNanos));
    }

    /** An interaction with the action it counts against and what the store decided. */
    private record Decided(Interaction interaction, Action action, Decision decision) {
        /** Whether the decision took a unit of quota that a bot's silence should give back. */
        boolean spent() {
            return decision.outcome() == Outcome.ALLOWED && decision.shadowOf() == null;
        }
    }

    private Mono<Void> answer(ServerWebExchange exchange, GatewayFilterChain chain, byte[] bytes, Decided decided,
                              long deadlineNanos) {
        Decision decision = decided.decision();
        Interaction interaction = decided.interaction();
        return switch (decision.outcome()) {
            case ALLOWED -> decision.delayMillis() > 0
                    ? Mono.delay(Duration.ofMillis(decision.delayMillis()))
                            .then(Mono.defer(() -> forward(exchange, chain, bytes, decided, deadlineNanos)))
                    : forward(exchange, chain, bytes, decided, deadlineNanos);
            case EXEMPT -> forward(exchange, chain, bytes, decided, deadlineNanos);
            case RATE_LIMITED, BLOCKED -> replies.denied(exchange, interaction, decision);
            case STORE_UNAVAILABLE -> replies.unavailable(exchange, interaction);
        };
    }

    /**
     * Forwards to the bot with what is left of the time Discord waits. A bot that has not begun to answer by the
     * deadline, or could not be reached, never answered: the user reads the unavailable message, and the unit the
     * decision spent is given back, since nothing was done with it.
     */
    private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, byte[] bytes, Decided decided,
                               long deadlineNanos) {
        ServerWebExchange verified = exchange.mutate()
                .request(BufferedBody.replayed(exchange.getRequest(), bytes, exchange.getResponse().bufferFactory()))
                .build();
        Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        return chain.filter(verified).timeout(left).onErrorResume(failure -> {
            if (exchange.getResponse().isCommitted()) {
                return Mono.error(failure);
            }
            log.warn("event=discord_backend_failed action={} error={} (answered with the unavailable message)",
                    decided.action().name(), failure instanceof TimeoutException
                            ? "\"no answer within " + answerWithin.toMillis() + " ms\"" : LogValue.quoted(failure));
            Mono<Void> giveBack = decided.spent()
                    ? store.decide(decided.interaction().userId(), decided.action(), Spend.REFUND).then()
                            .onErrorResume(refundFailed -> Mono.empty())
                    : Mono.empty();
            return giveBack.then(replies.unavailable(exchange, decided.interaction()));
        });
    }

    /**
     * The moderators' command or one of its buttons: never forwarded. Counted against its own action first, so
     * anyone who sends it, moderator or not, is limited and scored like any other command; a blocked moderator is
     * refused like anyone blocked (another moderator, or the admin API, lifts the block). The answer waits for the
     * change and its audit event, within what is left of the time Discord waits.
     */
    private Mono<Void> moderated(ServerWebExchange exchange, byte[] bytes, Interaction interaction,
                                 long deadlineNanos) {
        if (interaction.isAutocomplete()) {
            return replies.noChoices(exchange); // the command has no autocomplete options: nothing to spend on
        }
        Action action = moderators.action();
        return store.decide(interaction.userId(), action)
                .onErrorResume(failure -> undecided(action, failure))
                .flatMap(decision -> switch (decision.outcome()) {
                    case ALLOWED, EXEMPT -> (decision.delayMillis() > 0
                            ? Mono.delay(Duration.ofMillis(decision.delayMillis())).then() : Mono.<Void>empty())
                            .then(Mono.defer(() -> moderatorAnswer(bytes, interaction, action, deadlineNanos)))
                            .flatMap(answer -> InteractionReplies.write(exchange, answer));
                    case RATE_LIMITED, BLOCKED -> replies.denied(exchange, interaction, decision);
                    case STORE_UNAVAILABLE -> replies.unavailable(exchange, interaction);
                });
    }

    private Mono<byte[]> moderatorAnswer(byte[] bytes, Interaction interaction, Action action, long deadlineNanos) {
        return moderators.answer(bytes, interaction)
                .timeout(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))
                .onErrorResume(TimeoutException.class, late -> {
                    log.warn("event=discord_moderator_late action={} (answered that it did not finish in time)",
                            action.name());
                    return Mono.just(moderators.tooSlow());
                });
    }

    /** The chain decides locally when the shared store fails; this is for anything beyond that. */
    private static Mono<Decision> undecided(Action action, Throwable failure) {
        log.warn("event=discord_undecided action={} error={}", action.name(), LogValue.quoted(failure));
        return Mono.just(Decision.storeUnavailable(action.quota().limit(), 0));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, Refusal refusal) {
        return problems.refuse(exchange, refusal.status(), refusal.type(), refusal.title(), refusal.getMessage());
    }
}
