package dev.abuseguard.strategy;

import java.util.Locale;
/**
 * The four strategies by the name operators write in {@code routes.yml}. Each names its Java class
 * and its Lua script (a resource beside the class, same simple name).
 */
public enum StrategyType {
    TOKEN_BUCKET("token-bucket", new TokenBucket()),
    SLIDING_WINDOW("sliding-window", new SlidingWindow()),
    FIXED_WINDOW("fixed-window", new FixedWindow()),
    LEAKY_BUCKET("leaky-bucket", new LeakyBucket());

    private final String configName;
    private final RateLimitStrategy<?> algorithm;

    StrategyType(String configName, RateLimitStrategy<?> algorithm) {
        this.configName = configName;
        this.algorithm = algorithm;
    }

    public String configName() {
        return configName;
    }

    /** One letter for key names: t, s, f or l. */
    public char code() {
        return configName.charAt(0);
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
        throw new IllegalArgumentException("unknown strategy '" + name + "'; use one of token-bucket, "
                + "sliding-window, fixed-window, leaky-bucket");
    }

    /** Classpath location of the strategy's Lua script. */
    public String scriptResource() {
        return "/" + algorithm.getClass().getName().replace('.', '/') + ".lua";
    }
}
