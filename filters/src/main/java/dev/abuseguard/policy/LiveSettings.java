package dev.abuseguard.policy;

import java.util.Map;

/**
 * The part of {@link AbuseGuardProperties} a configuration refresh changes while the gateway runs: what the filters
 * and the decision scripts read through {@link LivePolicies}. Of {@code abuse}, {@code max-tracked-users} and
 * {@code block-retention} also size what is built at start-up (the in-memory store, the block cache, the TTL of
 * the overrides); those uses keep the values read at start-up.
 *
 * @param identity     how the user of a request is identified
 * @param actionHeader the request header that picks one of the route's actions
 * @param actions      the limit of each action, by action name
 * @param abuse        abuse scoring
 * @param discord      the Discord interactions endpoint
 * @param headers      which rate-limit headers answers carry
 * @param shadow       shadow mode for every action
 */
public record LiveSettings(
        AbuseGuardProperties.Identity identity,
        String actionHeader,
        Map<String, ActionPolicy> actions,
        AbuseGuardProperties.Abuse abuse,
        DiscordProperties discord,
        AbuseGuardProperties.Headers headers,
        boolean shadow) {
}
