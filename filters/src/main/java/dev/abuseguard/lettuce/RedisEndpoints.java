package dev.abuseguard.lettuce;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;

/**
 * Turns Spring Boot's {@code spring.data.redis.*} connection details into a {@link RedisTopology}: a single
 * server, a Sentinel-watched master or a cluster; TLS ({@code spring.data.redis.ssl.*}, an SSL bundle, or a
 * {@code rediss://} URL) on every node and sentinel, ACL users, as Spring Boot's own Lettuce factory does.
 */
public final class RedisEndpoints {

    private RedisEndpoints() {
    }

    /**
     * @param urlUsesSsl whether {@code spring.data.redis.url} is a {@code rediss://} URL (Boot's connection
     *                   details give its host and credentials, not its scheme)
     * @param sslBundleName {@code spring.data.redis.ssl.bundle}, to name it when it cannot be used
     * @param application the application's Lettuce client resources, or {@code null}: see {@link LettuceResources}
     */
    public static LettuceConnection connect(DataRedisConnectionDetails details, boolean urlUsesSsl,
                                            String sslBundleName, ClusterRefresh refresh, Duration connectTimeout,
                                            Duration scriptTimeout, List<EventLoop> laneLoops,
                                            ClientResources application) {
        return LettuceConnection.open(topology(details, urlUsesSsl, sslBundleName, refresh, connectTimeout,
                scriptTimeout), scriptTimeout, laneLoops, application);
    }

    private static RedisTopology topology(DataRedisConnectionDetails details, boolean urlUsesSsl,
                                          String sslBundleName, ClusterRefresh refresh, Duration connectTimeout,
                                          Duration scriptTimeout) {
        SslOptions ssl = sslOptions(details, urlUsesSsl, sslBundleName);
        Tls tls = new Tls(ssl != null, ssl);
        DataRedisConnectionDetails.Cluster cluster = details.getCluster();
        if (cluster != null && !cluster.getNodes().isEmpty()) {
            List<RedisURI> seeds = cluster.getNodes().stream()
                    .map(node -> node(details, tls, node.host(), node.port(), 0).build()).toList();
            return RedisTopology.cluster(seeds, tls.options(), refresh, connectTimeout, scriptTimeout);
        }
        DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
        if (sentinel != null && sentinel.getMaster() != null && !sentinel.getNodes().isEmpty()) {
            RedisURI.Builder uri = node(details, tls, null, 0, sentinel.getDatabase())
                    .withSentinelMasterId(sentinel.getMaster());
            for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
                RedisURI.Builder watcher = RedisURI.builder().withHost(node.host()).withPort(node.port())
                        .withSsl(tls.enabled());
                credentials(watcher, sentinel.getUsername(), sentinel.getPassword());
                uri.withSentinel(watcher.build());
            }
            return RedisTopology.sentinel(uri.build(), tls.options(), connectTimeout, scriptTimeout);
        }
        DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
        return RedisTopology.standalone(
                node(details, tls, standalone.getHost(), standalone.getPort(), standalone.getDatabase()).build(),
                tls.options(), connectTimeout, scriptTimeout);
    }

    private record Tls(boolean enabled, SslOptions options) {
    }

    private static RedisURI.Builder node(DataRedisConnectionDetails details, Tls tls, String host, int port,
                                         int database) {
        RedisURI.Builder uri = RedisURI.builder().withDatabase(database).withSsl(tls.enabled());
        if (host != null) {
            uri.withHost(host).withPort(port);
        }
        credentials(uri, details.getUsername(), details.getPassword());
        return uri;
    }

    private static void credentials(RedisURI.Builder uri, String username, String password) {
        if (password != null) {
            if (username != null) {
                uri.withAuthentication(username, password.toCharArray());
            } else {
                uri.withPassword(password.toCharArray());
            }
        }
    }

    /**
     * The bundle's key and trust material, protocols and ciphers, as Boot's Lettuce configuration reads them;
     * {@code null} without TLS. Host names are verified (Lettuce's default, {@code SslVerifyMode.FULL}).
     * A bundle that does not exist or cannot be read stops start-up here, naming the property.
     */
    static SslOptions sslOptions(DataRedisConnectionDetails details, boolean urlUsesSsl, String bundleName) {
        SslBundle bundle;
        try {
            bundle = details.getSslBundle();
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException("spring.data.redis.ssl.bundle=" + bundleName + ": no such SSL bundle; "
                    + "define it under spring.ssl.bundle.pem." + bundleName + " or spring.ssl.bundle.jks."
                    + bundleName, e);
        }
        if (bundle == null) {
            return urlUsesSsl ? SslOptions.builder().jdkSslProvider().build() : null;
        }
        try {
            SslOptions.Builder options = SslOptions.builder().jdkSslProvider()
                    .keyManager(bundle.getManagers().getKeyManagerFactory())
                    .trustManager(bundle.getManagers().getTrustManagerFactory());
            if (bundle.getOptions().getCiphers() != null) {
                options.cipherSuites(bundle.getOptions().getCiphers());
            }
            if (bundle.getOptions().getEnabledProtocols() != null) {
                options.protocols(bundle.getOptions().getEnabledProtocols());
            }
            return options.build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("spring.data.redis.ssl.bundle=" + (bundleName == null ? "(JDK default)"
                    : bundleName) + ": the SSL bundle cannot be used: " + e.getMessage(), e);
        }
    }
}
