package dev.abuseguard.filter;

import dev.abuseguard.policy.LiveSettings;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A route's keys, {@code keys: "json:/username=failed_login, client-ip=failed_login_by_address"}: each key is
 * read from its source and decided under its own action. A request any of them refuses is refused.
 */
record RouteKeys(List<Key> keys) {

    /** One key: where it comes from and the action it counts against. */
    record Key(KeySource source, Action action) {
    }

    RouteKeys {
        keys = List.copyOf(keys);
    }

    boolean readsBody() {
        return keys.stream().anyMatch(key -> key.source().readsBody());
    }

    /** @throws IllegalArgumentException naming the filter argument that is wrong */
    static RouteKeys of(List<String> entries, LiveSettings properties, ActionPolicies policies) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("AbuseGuard filter: args.keys must name at least one source=action");
        }
        Pattern pattern = Pattern.compile(properties.identity().pattern());
        List<Key> keys = new ArrayList<>();
        for (String entry : entries) {
            int equals = entry.lastIndexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("AbuseGuard filter: args.keys entry '" + entry.trim()
                        + "' must be source=action (client-ip=failed_login_by_address)");
            }
            String name = entry.substring(equals + 1).trim();
            Action action = policies.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "AbuseGuard filter: args.keys names action '" + name + "', which is not defined under "
                            + "abuse-guard.actions (defined: " + policies.names() + ")"));
            KeySource source;
            try {
                source = KeySource.parse(entry.substring(0, equals), properties.identity().header(), pattern,
                        properties.identity().proxies());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("AbuseGuard filter: args.keys: " + e.getMessage(), e);
            }
            keys.add(new Key(source, action));
        }
        return new RouteKeys(keys);
    }
}
