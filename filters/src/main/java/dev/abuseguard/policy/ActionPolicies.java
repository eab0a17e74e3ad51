package dev.abuseguard.policy;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The configured actions by name, resolved once from {@link AbuseGuardProperties}. */
public final class ActionPolicies {

    private final Map<String, Action> byName;

    public ActionPolicies(Map<String, ActionPolicy> policies) {
        this(policies, false);
    }

    /** @param shadowAll {@code abuse-guard.shadow}: every action in shadow mode, whatever its own setting */
    public ActionPolicies(Map<String, ActionPolicy> policies, boolean shadowAll) {
        this.byName = Map.copyOf(policies.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new Action(e.getKey(), shadowAll ? e.getValue().withShadow(true) : e.getValue()))));
    }

    public Optional<Action> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Action> all() {
        return byName.values();
    }

    /** Names in a stable order, for error messages. */
    public String names() {
        return String.join(", ", new TreeMap<>(byName).keySet());
    }
}
