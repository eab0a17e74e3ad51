package dev.abuseguard.store;

import dev.abuseguard.strategy.StrategyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The Lua script that decides one request for one strategy: the shared head (abuse record and block
 * check), the strategy's own script, and the shared tail (violation scoring). Built once per strategy.
 */
record DecisionScript(StrategyType strategy, String source, String sha1) {

    private static final String HEAD = "/dev/abuseguard/store/decide-head.lua";
    private static final String TAIL = "/dev/abuseguard/store/decide-tail.lua";
    private static final String METER = "/dev/abuseguard/strategy/DrainingMeter.lua";

    static Map<StrategyType, DecisionScript> all() {
        Map<StrategyType, DecisionScript> scripts = new EnumMap<>(StrategyType.class);
        for (StrategyType type : StrategyType.values()) {
            scripts.put(type, of(type));
        }
        return scripts;
    }

    static DecisionScript of(StrategyType type) {
        boolean meter = type == StrategyType.TOKEN_BUCKET || type == StrategyType.LEAKY_BUCKET;
        String source = read(HEAD) + (meter ? read(METER) : "") + read(type.scriptResource()) + read(TAIL);
        return new DecisionScript(type, source, sha1(source));
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JRE", e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = DecisionScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
