package dev.abuseguard.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The five strategies by the name operators write in {@code routes.yml}. Each names its Java class, its
 * Lua script (a resource beside the class, same simple name) and the Lua files that script uses.
 */
public enum StrategyType {
    TOKEN_BUCKET("token-bucket", 't', new TokenBucket(), List.of("DrainingMeter.lua")),
    SLIDING_WINDOW("sliding-window", 's', new SlidingWindow(), List.of()),
    FIXED_WINDOW("fixed-window", 'f', new FixedWindow(), List.of()),
    LEAKY_BUCKET("leaky-bucket", 'l', new LeakyBucket(), List.of("DrainingMeter.lua")),
    SLIDING_WINDOW_COUNTER("sliding-window-counter", 'c', new SlidingWindowCounter(), List.of());

    private final String configName;
    private final char code;
    private final RateLimitStrategy<?> algorithm;
    private final List<String> scriptIncludes;

    StrategyType(String configName, char code, RateLimitStrategy<?> algorithm, List<String> scriptIncludes) {
        this.configName = configName;
        this.code = code;
        this.algorithm = algorithm;
        this.scriptIncludes = scriptIncludes;
    }

    public String configName() {
        return configName;
    }

    /**
     * The strategy's letter in state key names. Fixed per strategy and unique, never derived from the name:
     * a strategy reading another's state would misread it.
     */
    public char code() {
        return code;
    }

    public RateLimitStrategy<?> algorithm() {
        return algorithm;
    }

    /** The strategy an operator named in routes.yml ({@code token-bucket}; case and '-' / '_' do not matter). */
    public static StrategyType fromConfigName(String name) {
        String wanted = name.trim().replace('_', '-').toLowerCase(Locale.ROOT);
        for (StrategyType type : values()) {
            if (type.configName.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "'; use one of "
                + Arrays.stream(values()).map(StrategyType::configName).collect(Collectors.joining(", ")));
    }

    /** Classpath location of the strategy's Lua script. */
    public String scriptResource() {
        return "/" + algorithm.getClass().getName().replace('.', '/') + ".lua";
    }

    /**
     * The Lua files (beside the strategy's script) whose functions the script calls, in the order they load;
     * the script's header comment names the same ones.
     */
    public List<String> scriptIncludes() {
        return scriptIncludes;
    }
}
