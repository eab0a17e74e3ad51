package dev.abuseguard.lettuce;

import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;

/**
 * How a cluster's topology is followed, from Boot's {@code spring.data.redis.lettuce.cluster.refresh.*}:
 * adaptive refresh (on MOVED, ASK and persistent reconnects) and a periodic one. Lettuce's defaults have
 * neither, and then a promoted replica is never found; here both are on unless switched off.
 *
 * @param adaptive       {@code .adaptive}, default true here
 * @param period         {@code .period}, default 30 s; zero for none
 * @param dynamicSources {@code .dynamic-refresh-sources}: ask every known node, not only the seeds
 */
public record ClusterRefresh(boolean adaptive, Duration period, boolean dynamicSources) {

    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);

    /**
     * Adaptive refreshes at most once a second (Lettuce's default is once in 30 s): during a failover the
     * first refresh still sees the dead master, and the next ones must come soon enough to see the promotion.
     */
    private static final Duration ADAPTIVE_AT_MOST_EVERY = Duration.ofSeconds(1);

    /** Adaptive and every 30 s, asking every known node. */
    public static ClusterRefresh defaults() {
        return new ClusterRefresh(true, DEFAULT_PERIOD, true);
    }

    ClusterTopologyRefreshOptions options() {
        ClusterTopologyRefreshOptions.Builder options = ClusterTopologyRefreshOptions.builder()
                .dynamicRefreshSources(dynamicSources)
                .closeStaleConnections(true); // connections to nodes that left the cluster are closed
        if (adaptive) {
            options.enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(ADAPTIVE_AT_MOST_EVERY)
                    .refreshTriggersReconnectAttempts(3);
        }
        if (period != null && !period.isZero() && !period.isNegative()) {
            options.enablePeriodicRefresh(period);
        }
        return options.build();
    }
}
