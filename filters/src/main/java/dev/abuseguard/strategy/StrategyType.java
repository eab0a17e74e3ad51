package dev.abuseguard.strategy;

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

    public RateLimitStrategy<?> algorithm() {
        return algorithm;
    }

    /** Classpath location of the strategy's Lua script. */
    public String scriptResource() {
        return "/" + algorithm.getClass().getName().replace('.', '/') + ".lua";
    }
}
