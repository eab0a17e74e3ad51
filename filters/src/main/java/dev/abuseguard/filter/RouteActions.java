package dev.abuseguard.filter;

import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.Action;
import dev.abuseguard.policy.ActionPolicies;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The actions one route allows and its default. The action header may pick one of them, never
 * another: a client cannot choose a laxer action than its route allows.
 */
final class RouteActions {

    private final String header;
    private final Map<String, Action> allowed;
    private final Action defaultAction;

    private RouteActions(String header, Map<String, Action> allowed, Action defaultAction) {
        this.header = header;
        this.allowed = allowed;
        this.defaultAction = defaultAction;
    }

    /** @throws IllegalArgumentException naming the filter argument that is wrong */
    static RouteActions of(List<String> names, String defaultName, String header, ActionPolicies policies) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("AbuseGuard filter: args.actions must name at least one action");
        }
        Map<String, Action> allowed = new LinkedHashMap<>();
        for (String name : names.stream().flatMap(n -> Arrays.stream(n.split(","))).map(String::trim)
                .filter(n -> !n.isEmpty()).toList()) {
            allowed.put(name, policies.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "AbuseGuard filter: args.actions names '" + name + "', which is not defined under "
                            + "abuse-guard.actions (defined: " + policies.names() + ")")));
        }
        String chosenDefault = defaultName == null || defaultName.isBlank()
                ? allowed.keySet().iterator().next() : defaultName.trim();
        Action defaultAction = allowed.get(chosenDefault);
        if (defaultAction == null) {
            throw new IllegalArgumentException("AbuseGuard filter: args.default-action '" + chosenDefault
                    + "' is not one of args.actions " + allowed.keySet());
        }
        // the configured order, so a refusal lists the route's actions as operators wrote them
        return new RouteActions(header, Collections.unmodifiableMap(allowed), defaultAction);
    }

    Action resolve(ServerHttpRequest request) {
        List<String> values = request.getHeaders().get(header);
        if (values == null || values.isEmpty()) {
            return defaultAction;
        }
        if (values.size() > 1) {
            throw new BadInput(header, "The " + header + " header must be sent at most once.");
        }
        Action action = allowed.get(values.get(0));
        if (action == null) {
            String shown = values.get(0).matches(AbuseGuardProperties.ACTION_NAME) ? "'" + values.get(0) + "' " : "";
            throw new BadInput(header, "The " + header + " header " + shown
                    + "is not an action of this route; allowed: " + String.join(", ", allowed.keySet()) + ".");
        }
        return action;
    }
}
