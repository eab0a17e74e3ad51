package dev.abuseguard.discord;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.abuseguard.decision.Decision;
import dev.abuseguard.decision.Outcome;
import dev.abuseguard.policy.DiscordProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers the gateway gives Discord itself, always HTTP 200 in Discord's interaction-response shapes: the
 * pong, an ephemeral message (seen by the user alone, pinging nobody) instead of a 429 or 403, and no choices
 * for an autocomplete.
 */
final class InteractionReplies {

    private static final byte[] PONG = "{\"type\":1}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_CHOICES =
            "{\"type\":8,\"data\":{\"choices\":[]}}".getBytes(StandardCharsets.US_ASCII);
    private static final int CHANNEL_MESSAGE_WITH_SOURCE = 4;
    private static final int EPHEMERAL = 1 << 6;
    private static final String RETRY = "{retry}";

    /** An interaction response with a message; fields in Discord's order and names. */
    record Message(int type, MessageData data) {
    }

    record MessageData(int flags, String content, @JsonProperty("allowed_mentions") AllowedMentions allowedMentions) {
    }

    /** Whom the message may ping: nobody, whatever its text says. */
    record AllowedMentions(List<String> parse) {
    }

    private final JsonMapper json;
    private final DiscordProperties.Messages messages;
    private final Clock clock;

    InteractionReplies(JsonMapper json, DiscordProperties.Messages messages, Clock clock) {
        this.json = json;
        this.messages = messages;
        this.clock = clock;
    }

    Mono<Void> pong(ServerWebExchange exchange) {
        return write(exchange, PONG);
    }

    /** A limited or blocked user: the message of the outcome, or no choices for an autocomplete. */
    Mono<Void> denied(ServerWebExchange exchange, Interaction interaction, Decision decision) {
        if (interaction.isAutocomplete()) {
            return write(exchange, NO_CHOICES);
        }
        return write(exchange, ephemeral(text(decision)));
    }

    /** An autocomplete the gateway answers itself: its own command asks for none. */
    Mono<Void> noChoices(ServerWebExchange exchange) {
        return write(exchange, NO_CHOICES);
    }

    /** The backend could not be reached, or nothing could be decided: never a 5xx to Discord. */
    Mono<Void> unavailable(ServerWebExchange exchange, Interaction interaction) {
        return write(exchange, interaction.isAutocomplete() ? NO_CHOICES : ephemeral(messages.unavailable()));
    }

    private String text(Decision decision) {
        if (decision.outcome() == Outcome.RATE_LIMITED) {
            return withRetry(messages.rateLimited(), decision.retryAfterMillis());
        }
        if (decision.outcome() == Outcome.BLOCKED) {
            return decision.retryAfterMillis() < 0 ? messages.blockedUntilLifted()
                    : withRetry(messages.blocked(), decision.retryAfterMillis());
        }
        return messages.unavailable();
    }

    /** {@code {retry}} as a Discord timestamp, which each reader sees as "in 5 minutes" in their own words. */
    private String withRetry(String message, long retryAfterMillis) {
        long epochSeconds = Math.floorDiv(clock.millis() + Math.max(0, retryAfterMillis) + 999, 1000);
        return message.replace(RETRY, "<t:" + epochSeconds + ":R>");
    }

    private byte[] ephemeral(String content) {
        return json.writeValueAsBytes(new Message(CHANNEL_MESSAGE_WITH_SOURCE,
                new MessageData(EPHEMERAL, content, new AllowedMentions(List.of()))));
    }

    static Mono<Void> write(ServerWebExchange exchange, byte[] body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
