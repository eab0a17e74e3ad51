package dev.abuseguard.autoconfigure;

import dev.abuseguard.discord.DiscordInteractionsGatewayFilterFactory;
import dev.abuseguard.filter.AbuseGuardGatewayFilterFactory;
import dev.abuseguard.policy.LivePolicies;
import java.util.List;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * Checks the library's filters on every route against a configuration, at start-up and before a refresh is
 * applied: a route the configuration cannot serve stops the one and rejects the other.
 */
final class RouteChecks {

    private final AbuseGuardGatewayFilterFactory guard;
    private final DiscordInteractionsGatewayFilterFactory discord;

    RouteChecks(AbuseGuardGatewayFilterFactory guard, DiscordInteractionsGatewayFilterFactory discord) {
        this.guard = guard;
        this.discord = discord;
    }

    /** @throws IllegalStateException naming the route and what is wrong */
    void check(List<RouteDefinition> routes, LivePolicies.Snapshot configuration) {
        for (RouteDefinition route : routes) {
            for (FilterDefinition filter : route.getFilters()) {
                if (guard.name().equals(filter.getName())) {
                    guard.validate(route.getId(), filter.getArgs(), configuration);
                } else if (discord.name().equals(filter.getName())) {
                    discord.validate(route.getId(), configuration);
                }
            }
        }
    }
}
