package dev.abuseguard.autoconfigure;

import dev.abuseguard.lettuce.ClusterRefresh;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.core.env.Environment;

/** What Spring Boot's {@code spring.data.redis.*} says beyond its connection details. */
final class RedisSettings {

    private static final String REFRESH = "spring.data.redis.lettuce.cluster.refresh.";

    private RedisSettings() {
    }

    /** A {@code rediss://} URL asks for TLS, as with Boot's own Lettuce factory. */
    static boolean urlUsesSsl(DataRedisProperties properties) {
        String url = properties.getUrl();
        return url != null && url.trim().toLowerCase(Locale.ROOT).startsWith("rediss://");
    }

    /**
     * Boot's cluster refresh properties, read from the environment so that an unset {@code adaptive} (a
     * primitive false in Boot's properties) means on: without it, a promoted replica is never followed.
     */
    static ClusterRefresh clusterRefresh(Environment environment) {
        return new ClusterRefresh(
                environment.getProperty(REFRESH + "adaptive", Boolean.class, true),
                environment.getProperty(REFRESH + "period", Duration.class, ClusterRefresh.DEFAULT_PERIOD),
                environment.getProperty(REFRESH + "dynamic-refresh-sources", Boolean.class, true));
    }
}
