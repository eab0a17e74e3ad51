package dev.abuseguard.filter;

import dev.abuseguard.policy.ActionPolicies;
import dev.abuseguard.store.DecisionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.NameUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code AbuseGuard} in route definitions: {@code - AbuseGuard=payment} (the shortcut takes one action), or
 * {@code name: AbuseGuard, args: {actions: "pack_create,pack_purchase", default-action: pack_create}}.
 */
public class AbuseGuardGatewayFilterFactory
        extends AbstractGatewayFilterFactory<AbuseGuardGatewayFilterFactory.Config> {

    private final ActionPolicies policies;
    private final String actionHeader;
    private final IdentityResolver identity;
    private final DecisionStore store;
    private final ProblemResponses problems;

    public AbuseGuardGatewayFilterFactory(ActionPolicies policies, String actionHeader, IdentityResolver identity,
                                          DecisionStore store, JsonMapper json) {
        super(Config.class);
        this.policies = policies;
        this.actionHeader = actionHeader;
        this.identity = identity;
        this.store = store;
        this.problems = new ProblemResponses(json);
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("actions");
    }

    @Override
    public GatewayFilter apply(Config config) {
        RouteActions actions = RouteActions.of(config.getActions(), config.getDefaultAction(), actionHeader, policies);
        return new AbuseGuardFilter(identity, config.getIdentityFallback(), actions, store, problems);
    }

    /**
     * Checks one route's AbuseGuard arguments as written in the route definition, so that a route
     * naming an undefined action stops the application at start-up instead of leaving it without routes.
     *
     * @throws IllegalStateException naming the route and the argument
     */
    public void validate(String routeId, Map<String, String> args) {
        List<String> actions = new ArrayList<>();
        String defaultAction = null;
        for (Map.Entry<String, String> arg : args.entrySet()) {
            String key = arg.getKey();
            if (key.equals("actions") || key.startsWith(NameUtils.GENERATED_NAME_PREFIX)) {
                actions.add(arg.getValue());
            } else if (key.equals("default-action") || key.equals("defaultAction")) {
                defaultAction = arg.getValue();
            }
        }
        try {
            RouteActions.of(actions, defaultAction, actionHeader, policies);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("spring.cloud.gateway.server.webflux.routes[id=" + routeId + "]: "
                    + e.getMessage(), e);
        }
    }

    /** The filter's arguments on one route. */
    public static class Config {
        private List<String> actions;
        private String defaultAction;
        private IdentityFallback identityFallback = IdentityFallback.NONE;

        public List<String> getActions() {
            return actions;
        }

        public Config setActions(List<String> actions) {
            this.actions = actions;
            return this;
        }

        public String getDefaultAction() {
            return defaultAction;
        }

        public Config setDefaultAction(String defaultAction) {
            this.defaultAction = defaultAction;
            return this;
        }

        public IdentityFallback getIdentityFallback() {
            return identityFallback;
        }

        public Config setIdentityFallback(IdentityFallback identityFallback) {
            this.identityFallback = identityFallback;
            return this;
        }
    }
}
