package dev.abuseguard.gateway.testsupport;

import dev.abuseguard.gateway.AbuseGuardApplication;
import dev.abuseguard.trends.Trends;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The real gateway application, started in-process the way an operator starts the jar: a routes
 * file named by {@code ROUTES_FILE}, Redis by {@code spring.data.redis.*}, a free port.
 */
public final class GatewayApp implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final Path routesFile;

    private GatewayApp(ConfigurableApplicationContext context, Path routesFile) {
        this.context = context;
        this.routesFile = routesFile;
    }

    public static GatewayApp start(String routesYaml, int redisPort, String... extraArgs) {
        return launch(routesYaml, redisOn(redisPort), null, extraArgs);
    }

    /** As {@link #start(String, int, String...)}, on the test's clock (the gateway's {@code abuseGuardClock}). */
    public static GatewayApp start(String routesYaml, int redisPort, Clock clock, String... extraArgs) {
        return launch(routesYaml, redisOn(redisPort), clock, extraArgs);
    }

    private static List<String> redisOn(int port) {
        return List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + port);
    }

    /** On a Redis Cluster: {@code clusterNodes} is the seed list, {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public static GatewayApp startOnCluster(String routesYaml, String clusterNodes, String... extraArgs) {
        return launch(routesYaml, List.of("--spring.data.redis.cluster.nodes=" + clusterNodes), null, extraArgs);
    }

    /** As {@link #startOnCluster(String, String, String...)}, on the test's clock. */
    public static GatewayApp startOnCluster(String routesYaml, String clusterNodes, Clock clock, String... extraArgs) {
        return launch(routesYaml, List.of("--spring.data.redis.cluster.nodes=" + clusterNodes), clock, extraArgs);
    }

    /** With Redis described by the given {@code --spring.data.redis.*} (and {@code spring.ssl.*}) arguments. */
    public static GatewayApp startWithRedis(String routesYaml, List<String> redisArgs, String... extraArgs) {
        return launch(routesYaml, redisArgs, null, extraArgs);
    }

    private static GatewayApp launch(String routesYaml, List<String> redisArgs, Clock clock, String... extraArgs) {
        Path routesFile = write(routesYaml);
        List<String> args = new ArrayList<>(List.of("--ROUTES_FILE=" + routesFile, "--server.port=0"));
        args.addAll(redisArgs);
        args.addAll(List.of(extraArgs));
        SpringApplicationBuilder application = new SpringApplicationBuilder(AbuseGuardApplication.class);
        if (clock != null) {
            application.initializers(context -> context.getBeanFactory().registerSingleton("abuseGuardClock", clock));
        }
        return new GatewayApp(application.run(args.toArray(String[]::new)), routesFile);
    }

    private static Path write(String routesYaml) {
        try {
            Path file = Files.createTempFile("routes", ".yml");
            Files.writeString(file, routesYaml);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the routes file the gateway was started with, as an operator edits it. */
    public void rewriteRoutes(String routesYaml) {
        try {
            Files.writeString(routesFile, routesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
    }

    public WebClient webClient() {
        return WebClient.create(baseUrl());
    }

    /**
     * Adds the trend counts this instance has not added yet (it does every few seconds by itself): a test that
     * empties Redis next and then finds nothing stored for a bad request sees only its own keys.
     */
    public void flushTrends() {
        bean(Trends.class).flush().block(Duration.ofSeconds(10));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
