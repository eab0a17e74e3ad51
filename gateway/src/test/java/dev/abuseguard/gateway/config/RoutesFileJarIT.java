package dev.abuseguard.gateway.config;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayProcess;
import dev.abuseguard.testsupport.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jar as an operator runs it: {@code ROUTES_FILE} names a routes file with an action of limit 1,
 * Redis comes from {@code SPRING_DATA_REDIS_*}. One user's requests go 200, then 429 with scores 10, 25,
 * 45, 70, 100, then 403 on every action.
 */
class RoutesFileJarIT {

    @Test
    void aLimitOfOneGoes200Then429FiveTimesThen403OnEveryAction() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        backend.start();
        Backends.answerOk(backend);
        Path routes = Files.createTempFile("routes", ".yml");
        Files.writeString(routes, """
                spring.cloud.gateway.server.webflux.routes:
                  - id: packs
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/packs/**" ]
                    filters: [ "AbuseGuard=pack_create" ]
                  - id: api
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/api/**" ]
                    filters: [ "AbuseGuard=api_call" ]
                abuse-guard:
                  actions:
                    pack_create: { limit: 1, window: 1h, strategy: token-bucket }
                    api_call:    { limit: 100, window: 1m, strategy: token-bucket }
                """.formatted(backend.port()));
        HttpClient http = HttpClient.newHttpClient();

        try (RedisServer redis = RedisServer.start();
             GatewayProcess gateway = GatewayProcess.start(Map.of(
                     "ROUTES_FILE", routes.toString(),
                     "SPRING_DATA_REDIS_HOST", "127.0.0.1",
                     "SPRING_DATA_REDIS_PORT", Integer.toString(redis.port())), List.of("-Xmx256m"))) {

            HttpResponse<Void> first = send(http, gateway, "/packs/open");
            assertThat(first.statusCode()).isEqualTo(200);
            for (String score : List.of("10", "25", "45", "70", "100")) {
                HttpResponse<Void> limited = send(http, gateway, "/packs/open");
                assertThat(limited.statusCode()).isEqualTo(429);
                assertThat(limited.headers().firstValue("X-Abuse-Score")).contains(score);
            }
            for (String path : List.of("/packs/open", "/api/cards")) {
                HttpResponse<Void> blocked = send(http, gateway, path);
                assertThat(blocked.statusCode()).isEqualTo(403);
                assertThat(blocked.headers().firstValue("X-Abuse-Blocked")).contains("true");
            }
            assertThat(redis.keys("ag:{u:42}:*")).hasSize(3);
        } finally {
            backend.verify(1, anyRequestedFor(anyUrl()));
            backend.stop();
        }
    }

    private static HttpResponse<Void> send(HttpClient http, GatewayProcess gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("X-User-Id", "42").build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
