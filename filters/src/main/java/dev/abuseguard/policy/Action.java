package dev.abuseguard.policy;

import dev.abuseguard.strategy.Quota;

/** A named action with its policy, resolved once when routes are built. */
public record Action(String name, ActionPolicy policy, Quota quota) {

    public Action(String name, ActionPolicy policy) {
        this(name, policy, policy.quota());
    }
}
