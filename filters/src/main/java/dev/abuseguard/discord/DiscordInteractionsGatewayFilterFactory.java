package dev.abuseguard.discord;

import dev.abuseguard.admin.UserActions;
import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.filter.ProblemResponses;
import dev.abuseguard.policy.DiscordProperties;
import dev.abuseguard.policy.LivePolicies;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code DiscordInteractions} in route definitions, without arguments ({@code filters: [ DiscordInteractions ]}):
 * the route of a bot's interactions endpoint. Its settings live under {@code abuse-guard.discord}.
 */
public class DiscordInteractionsGatewayFilterFactory
        extends AbstractGatewayFilterFactory<DiscordInteractionsGatewayFilterFactory.Config> {

    /** Where the public key comes from when {@code abuse-guard.discord.public-key} is blank. */
    public static final String PUBLIC_KEY_VARIABLE = "DISCORD_PUBLIC_KEY";

    private final LivePolicies policies;
    private final DecisionStore store;
    private final JsonMapper json;
    private final Clock clock;
    private final Supplier<String> publicKeyVariable;
    private final InteractionParser parser;
    private final ProblemResponses problems;
    private final InteractionReplays replays;
    private final UserActions userActions;

    /** Without the moderators' command: every command reaches the bot. */
    public DiscordInteractionsGatewayFilterFactory(LivePolicies policies, DecisionStore store, JsonMapper json,
                                                   Clock clock, Supplier<String> publicKeyVariable,
                                                   InteractionReplays replays) {
        this(policies, store, json, clock, publicKeyVariable, replays, null);
    }

    /**
     * @param clock             the time a signed timestamp must be near, and retry times are counted from
     * @param publicKeyVariable the value of {@value #PUBLIC_KEY_VARIABLE}, or null
     * @param userActions       what the moderators' command does (the admin API's calls); null: no such command
     */
    public DiscordInteractionsGatewayFilterFactory(LivePolicies policies, DecisionStore store, JsonMapper json,
                                                   Clock clock, Supplier<String> publicKeyVariable,
                                                   InteractionReplays replays, UserActions userActions) {
        super(Config.class);
        this.policies = policies;
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.publicKeyVariable = publicKeyVariable;
        this.parser = new InteractionParser(json);
        this.problems = new ProblemResponses(json);
        this.replays = replays;
        this.userActions = userActions;
    }

    /** Builds a route's filter from the configuration in force; routes are built again after a refresh. */
    @Override
    public GatewayFilter apply(Config config) {
        return build(policies.current());
    }

    /**
     * Checks that a configuration gives an interactions route all it needs (a valid public key, defined
     * actions that delay no longer than Discord waits), so that a gateway missing any stops at start-up
     * (or refuses the refresh) instead of answering every interaction with an error.
     *
     * @throws IllegalStateException naming the route and the setting
     */
    public void validate(String routeId, LivePolicies.Snapshot configuration) {
        try {
            build(configuration);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("spring.cloud.gateway.server.webflux.routes[id=" + routeId + "]: "
                    + name() + " filter: " + e.getMessage(), e);
        }
    }

    private DiscordInteractionsFilter build(LivePolicies.Snapshot configuration) {
        DiscordProperties discord = configuration.settings().discord();
        return new DiscordInteractionsFilter(signature(discord), new BoundedBody((int) discord.maxBody().toBytes()),
                parser, InteractionActions.of(discord, configuration.actions()), store,
                new InteractionReplies(json, discord.messages(), clock), problems, discord.answerWithin(), replays,
                ModeratorCommand.of(discord, configuration.actions(), userActions, policies, json));
    }

    private InteractionSignature signature(DiscordProperties discord) {
        boolean configured = !discord.publicKey().isBlank();
        String key = configured ? discord.publicKey() : publicKeyVariable.get();
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("abuse-guard.discord.public-key (or the environment variable "
                    + PUBLIC_KEY_VARIABLE + ") is required: the application's public key, from Discord's developer "
                    + "portal");
        }
        try {
            return InteractionSignature.of(key.trim(), clock);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException((configured ? "abuse-guard.discord.public-key"
                    : "the environment variable " + PUBLIC_KEY_VARIABLE) + " " + invalid.getMessage(), invalid);
        }
    }

    /** No arguments: one interactions endpoint per application, configured under {@code abuse-guard.discord}. */
    public static class Config {
    }
}
