package dev.abuseguard.redis;

import dev.abuseguard.strategy.StrategyType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Lua script that decides one request for one strategy: the shared head (abuse record and block
 * check), the strategy's own script, and the shared tail (violation scoring). Built once per strategy.
 */
final class DecisionScript {

    private static final String HEAD = "/dev/abuseguard/redis/decide-head.lua";
    private static final String TAIL = "/dev/abuseguard/redis/decide-tail.lua";
    private static final String METER = "/dev/abuseguard/strategy/DrainingMeter.lua";

    private DecisionScript() {
    }

    static Map<StrategyType, LuaScript> all() {
        Map<StrategyType, LuaScript> scripts = new EnumMap<>(StrategyType.class);
        for (StrategyType type : StrategyType.values()) {
            boolean meter = type == StrategyType.TOKEN_BUCKET || type == StrategyType.LEAKY_BUCKET;
            scripts.put(type, meter
                    ? LuaScript.load(HEAD, METER, type.scriptResource(), TAIL)
                    : LuaScript.load(HEAD, type.scriptResource(), TAIL));
        }
        return scripts;
    }
}
