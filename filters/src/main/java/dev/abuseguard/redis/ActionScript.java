package dev.abuseguard.redis;

import dev.abuseguard.abuse.ScoringRules;
import dev.abuseguard.policy.Action;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The decision script of one action: the strategy's script with the action's constant arguments compiled into
 * its first line, {@code local ARGV = {...}}, so a call sends only what changes from call to call: the time
 * ({@code ''} for Redis {@code TIME}) and the mode. Every call then spares Redis parsing, copying and
 * converting 17 arguments, and the gateway encoding them (see bench/NOTES.md). Numbers are compiled
 * as Lua numbers (whole numbers, exact in Lua's doubles up to 2^53), strings as escaped literals. One script per action and
 * configuration: bounded by the configuration, never by what clients send.
 */
public final class ActionScript {

    /** The place of an argument the call passes: {@code ARGV[n]} of the call. */
    record CallArgument(int position) {
    }

    /** The call's arguments, in {@link CallArgument} order. */
    static final CallArgument NOW = new CallArgument(1);
    static final CallArgument MODE = new CallArgument(2);

    private ActionScript() {
    }

    /** The script a decision on {@code action} runs, as sent to Redis (also for bench/script-cost.sh). */
    public static LuaScript forAction(Action action, ScoringRules rules, String tierLimits) {
        return compile(DecisionScript.all().get(action.policy().strategy()), arguments(action, rules, tierLimits));
    }

    /** The script's ARGV as decide-head.lua reads them: the action's constants, and the call's time and mode. */
    private static List<Object> arguments(Action action, ScoringRules rules, String tiers) {
        return List.of(
                action.quota().limit(),
                action.quota().windowMillis(),
                action.quota().maxDelayMillis(),
                NOW,
                rules.points(),
                rules.repeatMultiplierPercent(),
                rules.repeatWindowMillis(),
                rules.blockThreshold(),
                rules.blockDurationMillis(),
                rules.retentionMillis(),
                (long) rules.historySize(),
                action.name(),
                MODE,
                rules.halfLifeMillis(),
                rules.blockRetentionMillis(),
                tiers,
                action.policy().shadow() ? "1" : "0",
                rules.blockFactorPercent(),
                rules.maxBlockMillis());
    }

    /** @param arguments the script's ARGV in order: a {@link Long} or {@link Integer}, a {@link String} or a {@link CallArgument} */
    static LuaScript compile(LuaScript decision, List<Object> arguments) {
        StringBuilder line = new StringBuilder("local ARGV = {");
        for (int i = 0; i < arguments.size(); i++) {
            Object argument = arguments.get(i);
            if (i > 0) {
                line.append(", ");
            }
            if (argument instanceof CallArgument call) {
                line.append("ARGV[").append(call.position()).append(']');
            } else if (argument instanceof Long || argument instanceof Integer) {
                line.append(((Number) argument).longValue());
            } else {
                literal(line, (String) argument);
            }
        }
        return decision.after(line.append('}').toString());
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
