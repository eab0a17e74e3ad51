package dev.abuseguard.filter;

import dev.abuseguard.decision.DecisionStore;
import dev.abuseguard.policy.AbuseGuardProperties;
import dev.abuseguard.policy.LiveSettings;
import dev.abuseguard.policy.LivePolicies;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.HasRouteId;
import org.springframework.cloud.gateway.support.NameUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code AbuseGuard} in route definitions: {@code - AbuseGuard=payment} (the shortcut takes one action), or
 * {@code name: AbuseGuard, args: {actions: "pack_create,pack_purchase", default-action: pack_create}}, or with
 * keys the client cannot pick, each under its own action:
 * {@code args: {keys: "json:/username=failed_login, client-ip=failed_login_by_address"}} (see {@link KeySource}).
 */
public class AbuseGuardGatewayFilterFactory
        extends AbstractGatewayFilterFactory<AbuseGuardGatewayFilterFactory.Config> {

    private final LivePolicies policies;
    private final DecisionStore store;
    private final ProblemResponses problems;
    private final JsonMapper json;
    private final Clock clock;

    /** The most of a body read to find a key in it: a login or command body, not an upload. */
    static final int MAX_KEYED_BODY = 64 * 1024;

    public AbuseGuardGatewayFilterFactory(LivePolicies policies, DecisionStore store, JsonMapper json) {
        this(policies, store, json, Clock.systemUTC());
    }

    public AbuseGuardGatewayFilterFactory(LivePolicies policies, DecisionStore store, JsonMapper json, Clock clock) {
        super(Config.class);
        this.clock = clock;
        this.policies = policies;
        this.store = store;
        this.problems = new ProblemResponses(json);
        this.json = json;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("actions");
    }

    /** Builds a route's filter from the configuration in force; routes are built again after a refresh. */
    @Override
    public GatewayFilter apply(Config config) {
        LivePolicies.Snapshot inForce = policies.current();
        LiveSettings properties = inForce.settings();
        RateLimitHeaders rateLimitHeaders = new RateLimitHeaders(config.getRouteId(), properties.headers().ietf(),
                clock);
        if (config.getKeys() != null) {
            return new KeyedAbuseGuardFilter(RouteKeys.of(config.getKeys(), properties, inForce.actions()), store,
                    problems, rateLimitHeaders, json, MAX_KEYED_BODY);
        }
        RouteActions actions = RouteActions.of(config.getActions(), config.getDefaultAction(),
                properties.actionHeader(), inForce.actions());
        AbuseGuardProperties.Identity who = properties.identity();
        IdentityResolver identity = new IdentityResolver(who.header(), who.pattern(), who.proxies());
        return new AbuseGuardFilter(identity, config.getIdentityFallback(), actions, store, problems, rateLimitHeaders);
    }

    /**
     * Checks one route's AbuseGuard arguments as written in the route definition against a
     * configuration, so that a route naming an undefined action stops the application at start-up (or
     * is refused on refresh) instead of leaving it without routes.
     *
     * @throws IllegalStateException naming the route and the argument
     */
    public void validate(String routeId, Map<String, String> args, LivePolicies.Snapshot configuration) {
        List<String> actions = new ArrayList<>();
        String defaultAction = null;
        String keys = null;
        for (Map.Entry<String, String> arg : args.entrySet()) {
            String key = arg.getKey();
            if (key.equals("actions") || key.startsWith(NameUtils.GENERATED_NAME_PREFIX)) {
                actions.add(arg.getValue());
            } else if (key.equals("default-action") || key.equals("defaultAction")) {
                defaultAction = arg.getValue();
            } else if (key.equals("keys")) {
                keys = arg.getValue();
            }
        }
        try {
            if (keys != null) {
                if (!actions.isEmpty()) {
                    throw new IllegalArgumentException("AbuseGuard filter: args.keys names each key's action; "
                            + "args.actions is for routes without keys");
                }
                RouteKeys.of(List.of(keys.split(",")), configuration.settings(), configuration.actions());
                return;
            }
            RouteActions.of(actions, defaultAction, configuration.settings().actionHeader(), configuration.actions());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("spring.cloud.gateway.server.webflux.routes[id=" + routeId + "]: "
                    + e.getMessage(), e);
        }
    }

    /** The filter's arguments on one route. */
    public static class Config implements HasRouteId {
        private String routeId;
        private List<String> actions;
        private String defaultAction;
        private IdentityFallback identityFallback = IdentityFallback.NONE;
        private List<String> keys;

        @Override
        public void setRouteId(String routeId) {
            this.routeId = routeId;
        }

        @Override
        public String getRouteId() {
            return routeId;
        }

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

        public List<String> getKeys() {
            return keys;
        }

        public Config setKeys(List<String> keys) {
            this.keys = keys;
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
