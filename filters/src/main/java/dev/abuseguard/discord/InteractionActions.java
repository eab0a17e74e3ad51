package dev.abuseguard.discord;

import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicies;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.DiscordProperties;
import dev.abuseguard.policy.SpendOn;
import dev.abuseguard.policy.StoreFailureMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The action of an interaction: its command's name, or its component's {@code custom_id} prefix, through
 * {@code abuse-guard.discord.commands}; autocomplete on its own action; the default action for the rest.
 * The action comes from the signed body only, so a caller cannot pick a laxer one.
 *
 * <p>Every action here decides locally while the shared store is down, whatever its {@code on-store-failure}:
 * Discord shows "This interaction failed" for a 503 as for anything else.
 */
final class InteractionActions {

    /** Discord waits 3 s for an answer; the backend keeps at least half of that. */
    static final Duration MAX_DELAY = Duration.ofMillis(1500);

    private static final String PREFIX = "abuse-guard.discord.";

    private final Map<String, Action> byName;
    private final Action defaultAction;
    private final Action autocomplete;

    private InteractionActions(Map<String, Action> byName, Action defaultAction, Action autocomplete) {
        this.byName = byName;
        this.defaultAction = defaultAction;
        this.autocomplete = autocomplete;
    }

    /** @throws IllegalArgumentException naming the setting that is wrong */
    static InteractionActions of(DiscordProperties discord, ActionPolicies policies) {
        if (discord.defaultAction() == null || discord.defaultAction().isBlank()) {
            throw new IllegalArgumentException(PREFIX + "default-action is required: the action of every "
                    + "interaction that " + PREFIX + "commands does not name");
        }
        Action defaultAction = action(policies, PREFIX + "default-action", discord.defaultAction());
        Action autocomplete = action(policies, PREFIX + "autocomplete-action", discord.autocompleteActionOrDefault());
        Map<String, Action> byName = new HashMap<>();
        discord.commands().forEach((name, action) ->
                byName.put(name, action(policies, PREFIX + "commands." + name, action)));
        return new InteractionActions(Map.copyOf(byName), defaultAction, autocomplete);
    }

    static Action action(ActionPolicies policies, String setting, String name) {
        Action defined = policies.find(name).orElseThrow(() -> new IllegalArgumentException(setting + " names '"
                + name + "', which is not defined under abuse-guard.actions (defined: " + policies.names() + ")"));
        ActionPolicy policy = defined.policy();
        if (policy.longestDelay().compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("abuse-guard.actions." + name + ".max-delay is "
                    + policy.longestDelay().toMillis() + " ms; on an interactions route (" + setting + ") at most "
                    + MAX_DELAY.toMillis() + " ms, since Discord waits 3 s for the whole answer");
        }
        if (policy.spendOn() == SpendOn.FAILURE) {
            throw new IllegalArgumentException("abuse-guard.actions." + name + ".spend-on: failure cannot work on an "
                    + "interactions route (" + setting + "): a bot answers interactions with 200");
        }
        return new Action(name, policy.withOnStoreFailure(StoreFailureMode.LOCAL));
    }

    Action of(Interaction interaction) {
        if (interaction.isAutocomplete()) {
            return autocomplete;
        }
        String name = interaction.name();
        if (name == null) {
            return defaultAction;
        }
        Action named = interaction.isNamedByCustomId() ? byPrefix(name) : byName.get(name);
        return named == null ? defaultAction : named;
    }

    /**
     * The longest configured name that the {@code custom_id} starts with and that ends where the id ends or
     * at a character other than a letter or digit: {@code buy:gold:3} and {@code buy_gold} are {@code buy}'s,
     * {@code buyer} is not.
     */
    private Action byPrefix(String customId) {
        Action found = null;
        for (int end = 1; end <= customId.length(); end++) {
            if (end == customId.length() || !Character.isLetterOrDigit(customId.charAt(end))) {
                Action candidate = byName.get(customId.substring(0, end));
                found = candidate == null ? found : candidate;
            }
        }
        return found;
    }
}
