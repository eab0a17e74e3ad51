package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.policy.Action;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision script of one action: the strategy's script after a first line that names the action's settings as
 * the script's first locals, {@code local limit, window, ... = 5, 3600000, ...} (names in one list, values in the
 * same order in the other), so a call sends only what changes from call to call:
 * the time ({@code ''} for Redis {@code TIME}) and the mode. Every call then spares Redis parsing, copying and
 * converting 17 arguments, and the gateway encoding them. Whole numbers are compiled as Lua numbers (exact in
 * Lua's doubles up to 2^53), strings as escaped literals, flags as booleans. Named locals rather than a table
 * ({@code local settings = {limit = 5, ...}}, as before): the same names, without building a table of 17 entries
 * on every call (about 3,900 Redis instructions per decision, bench/script-cost.sh). One script per action and
 * configuration: bounded by the configuration, never by what clients send.
 */
public final class ActionScript {

    private ActionScript() {
    }

    /** The script a decision on {@code action} runs, as sent to Redis (also for bench/script-cost.sh). */
    public static LuaScript forAction(Action action, ScoringRules rules, String tierLimits) {
        return compile(DecisionScript.all().get(action.policy().strategy()), settings(action, rules, tierLimits));
    }

    /** The settings decide-head.lua, the strategies and decide-tail.lua read, by name (the first line's locals). */
    static Map<String, Object> settings(Action action, ScoringRules rules, String tierLimits) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("limit", action.quota().limit());
        settings.put("window", action.quota().windowMillis());
        settings.put("max_delay", action.quota().maxDelayMillis());
        settings.put("action", action.name());
        settings.put("shadow", action.policy().shadow());
        settings.put("tier_limits", tierLimits);
        settings.put("points", rules.points());
        settings.put("repeat_percent", rules.repeatMultiplierPercent());
        settings.put("repeat_window", rules.repeatWindowMillis());
        settings.put("block_threshold", rules.blockThreshold());
        settings.put("block_duration", rules.blockDurationMillis());
        settings.put("block_factor_percent", rules.blockFactorPercent());
        settings.put("max_block", rules.maxBlockMillis());
        settings.put("retention", rules.retentionMillis());
        settings.put("block_retention", rules.blockRetentionMillis());
        settings.put("history_size", (long) rules.historySize());
        settings.put("half_life", rules.halfLifeMillis());
        return settings;
    }

    /**
     * @param settings names (Lua identifiers, at least one) and values: a {@link Long} or {@link Integer}, a
     *                 {@link String} or a {@link Boolean}
     */
    static LuaScript compile(LuaScript decision, Map<String, Object> settings) {
        StringBuilder names = new StringBuilder("local ");
        StringBuilder values = new StringBuilder();
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            if (!setting.getKey().matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a Lua name: " + setting.getKey());
            }
            String separator = values.isEmpty() ? "" : ", ";
            names.append(separator).append(setting.getKey());
            values.append(separator);
            Object value = setting.getValue();
            if (value instanceof Long || value instanceof Integer) {
                values.append(((Number) value).longValue());
            } else if (value instanceof Boolean flag) {
                values.append(flag);
            } else {
                literal(values, (String) value);
            }
        }
        return decision.after(names.append(" = ").append(values).toString());
    }

    /** A Lua string literal of the value's UTF-8 bytes, anything but plain ASCII as a decimal escape. */
    private static void literal(StringBuilder line, String value) {
        line.append('\'');
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
                line.append((char) c);
            } else {
                line.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10))
                        .append((char) ('0' + c % 10));
            }
        }
        line.append('\'');
    }
}
