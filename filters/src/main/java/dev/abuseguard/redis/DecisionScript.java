package dev.abuseguard.redis;

import dev.abuseguard.strategy.StrategyType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Lua script that decides one request for one strategy: the shared head (abuse record and block
 * check), the strategy's own script with what it includes, and the shared tail (violation scoring).
 * Built once per strategy.
 */
final class DecisionScript {

    static final String HEAD = "/dev/abuseguard/redis/decide-head.lua";
    static final String TAIL = "/dev/abuseguard/redis/decide-tail.lua";

    private static final Map<StrategyType, LuaScript> ALL = build();

    private DecisionScript() {
    }

    static Map<StrategyType, LuaScript> all() {
        return ALL;
    }

    private static Map<StrategyType, LuaScript> build() {
        Map<StrategyType, LuaScript> scripts = new EnumMap<>(StrategyType.class);
        for (StrategyType type : StrategyType.values()) {
            scripts.put(type, LuaScript.load(HEAD, type.scriptResource(), TAIL));
        }
        return Map.copyOf(scripts);
    }
}
