package dev.abuseguard.overrides;

import dev.abuseguard.strategy.Quota;
import java.util.Map;

/**
 * One user's overrides; {@code exemptUntil} 0 when not exempt, -1 until lifted. An own limit's
 * {@code maxDelayMillis} is not used: the action's applies, as in the decision script.
 */
public record UserOverride(long exemptUntil, String reason, String tier, Map<String, Quota> limits) {

    public static final UserOverride NONE = new UserOverride(0, "", null, Map.of());

    public UserOverride {
        reason = reason == null ? "" : reason;
        limits = Map.copyOf(limits);
    }

    public boolean exemptAt(long now) {
        return exemptUntil < 0 || exemptUntil > now;
    }

    public boolean empty() {
        return exemptUntil == 0 && tier == null && limits.isEmpty();
    }
}
