/**
 * The operator's word on single users: exempt users, a user's own limits, tiers. In Redis they live under the
 * user's hash tag and are read by the decision's one script, and every instance keeps a bounded copy of them
 * for its local fallback ({@code KnownOverrides}, kept by {@code RedisOverridesCopy}); in memory they sit beside
 * the local store.
 */
package dev.abuseguard.overrides;
