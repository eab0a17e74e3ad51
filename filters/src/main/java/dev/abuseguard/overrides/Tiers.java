package dev.abuseguard.overrides;

import dev.abuseguard.policy.TierLimit;
import dev.abuseguard.policy.ActionPolicy;
import dev.abuseguard.policy.SlidingLogCap;
import dev.abuseguard.strategy.Quota;
import dev.abuseguard.strategy.StrategyType;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The configured tiers: each tier's limits per action, and how the decision script reads them. */
public final class Tiers {

    private final Map<String, Map<String, TierLimit>> byTier;

    /** @param known the configured actions: a tier naming any other fails start-up */
    public Tiers(Map<String, Map<String, TierLimit>> byTier, Set<String> known) {
        for (Map.Entry<String, Map<String, TierLimit>> tier : byTier.entrySet()) {
            for (Map.Entry<String, TierLimit> limit : tier.getValue().entrySet()) {
                if (!known.contains(limit.getKey())) {
                    throw new IllegalArgumentException("abuse-guard.tiers." + tier.getKey() + "." + limit.getKey()
                            + ": no such action (known: " + new TreeSet<>(known) + ")");
                }
                if (limit.getValue().window().toMillis() < 1) {
                    throw new IllegalArgumentException("abuse-guard.tiers." + tier.getKey() + "." + limit.getKey()
                            + ".window must be at least 1ms");
                }
            }
        }
        this.byTier = Map.copyOf(byTier);
    }

    /**
     * As {@link #Tiers(Map, Set)}, and a tier's limit of a {@code sliding-window} action is held to the sliding
     * log's cap as the action's own is ({@link SlidingLogCap}): a tier cannot grow a user's log past it.
     */
    public Tiers(Map<String, Map<String, TierLimit>> byTier, Map<String, ActionPolicy> actions) {
        this(byTier, actions.keySet());
        byTier.forEach((tier, limits) -> limits.forEach((action, limit) -> {
            if (actions.get(action).strategy() == StrategyType.SLIDING_WINDOW
                    && limit.limit() > SlidingLogCap.MAX_LIMIT) {
                throw new IllegalArgumentException("abuse-guard.tiers." + tier + "." + action + ".limit is "
                        + limit.limit() + "; " + action + " is a sliding-window action, whose limit is at most "
                        + SlidingLogCap.MAX_LIMIT + " (use strategy sliding-window-counter for more)");
            }
        }));
    }

    public static Tiers none() {
        return new Tiers(Map.of(), Set.of());
    }

    public boolean exists(String tier) {
        return byTier.containsKey(tier);
    }

    /** The tier's limit of the action, or {@code null} when the tier leaves it at the action's. */
    public Quota quota(String tier, String action, long maxDelayMillis) {
        Map<String, TierLimit> limits = tier == null ? null : byTier.get(tier);
        TierLimit limit = limits == null ? null : limits.get(action);
        return limit == null ? null : new Quota(limit.limit(), limit.window().toMillis(), maxDelayMillis);
    }

    /** ARGV of the decision script: {@code ,<tier>=<limit>:<window ms>,...,} for the tiers that set the action. */
    public String scriptArgument(String action) {
        StringBuilder spec = new StringBuilder();
        for (Map.Entry<String, Map<String, TierLimit>> tier : new TreeMap<>(byTier).entrySet()) {
            TierLimit limit = tier.getValue().get(action);
            if (limit != null) {
                spec.append(',').append(tier.getKey()).append('=').append(limit.limit()).append(':')
                        .append(limit.window().toMillis());
            }
        }
        return spec.isEmpty() ? "" : spec.append(',').toString();
    }
}
