package dev.abuseguard.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.abuseguard.testsupport.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The library in an application of its own, as a user adds it: a Spring Cloud Gateway app with Spring Security and
 * a security chain of its own, the filters jar, one route, and {@code abuse-guard.admin.enabled: true}. The admin
 * API answers with the token and only with it, acts on what the route decided, and leaves the application's own
 * security as it was; without the switch there is no admin API.
 */
class MinimalGatewayAdminTest {

    private static final String TOKEN = "minimal-app-token";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final RedisServer redis = RedisServer.sharedEmpty();
    private static HttpServer backend;
    private static ConfigurableApplicationContext withAdmin;
    private static ConfigurableApplicationContext withoutAdmin;

    /** What a user writes: an application class, and their own security for their own paths. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalGateway {

        @Bean
        SecurityWebFilterChain ownSecurity(ServerHttpSecurity http) {
            return http.authorizeExchange(exchanges -> exchanges
                            .pathMatchers("/private/**").authenticated()
                            .anyExchange().permitAll())
                    .httpBasic(Customizer.withDefaults())
                    .csrf(ServerHttpSecurity.CsrfSpec::disable)
                    .build();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = "{\"backend\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        withAdmin = app(true);
        withoutAdmin = app(false);
    }

    @AfterAll
    static void stop() {
        withAdmin.close();
        withoutAdmin.close();
        backend.stop(0);
    }

    private static ConfigurableApplicationContext app(boolean admin) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.config.name", "minimal-gateway-admin-test"); // no application.yml of another app
        properties.put("server.port", "0");
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.cloud.gateway.server.webflux.routes[0].id", "api");
        properties.put("spring.cloud.gateway.server.webflux.routes[0].uri",
                "http://127.0.0.1:" + backend.getAddress().getPort());
        properties.put("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/api/**");
        properties.put("spring.cloud.gateway.server.webflux.routes[0].filters[0]", "AbuseGuard=api");
        properties.put("abuse-guard.actions.api.limit", "2");
        properties.put("abuse-guard.actions.api.window", "1h");
        properties.put("abuse-guard.actions.api.strategy", "fixed-window");
        properties.put("abuse-guard.admin.token", TOKEN);
        if (admin) {
            properties.put("abuse-guard.admin.enabled", "true");
        }
        return new SpringApplicationBuilder(MinimalGateway.class).properties(properties).run();
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext app, String method, String path,
                                             String token, String user) throws Exception {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (user != null) {
            request.header("X-User-Id", user);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminApiNeedsTheTokenAndAnswersProblemsWithoutIt() throws Exception {
        HttpResponse<String> none = send(withAdmin, "GET", "/admin/api/stats", null, null);
        HttpResponse<String> wrong = send(withAdmin, "GET", "/admin/api/stats", "not-the-token", null);
        HttpResponse<String> right = send(withAdmin, "GET", "/admin/api/stats", TOKEN, null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(none.body()).contains("\"type\":\"urn:abuse-guard:problem:unauthorized\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).contains("\"usersTracked\"");
        assertThat(send(withAdmin, "GET", "/admin", null, null).body()).contains("<html");
    }

    @Test
    void anOperatorSeesAndResetsWhatTheRouteDecided() throws Exception {
        String user = "minimal-" + System.nanoTime();
        assertThat(send(withAdmin, "GET", "/api/x", null, user).statusCode()).isEqualTo(200);
        assertThat(send(withAdmin, "GET", "/api/x", null, user).statusCode()).isEqualTo(200);
        assertThat(send(withAdmin, "GET", "/api/x", null, user).statusCode()).isEqualTo(429);

        HttpResponse<String> seen = send(withAdmin, "GET", "/admin/api/users/" + user, TOKEN, null);
        System.out.println("minimal app: GET /admin/api/users/" + user + " -> " + seen.statusCode() + " "
                + seen.body());
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(seen.body()).contains("\"userId\":\"" + user + "\"").contains("\"score\":10");

        assertThat(send(withAdmin, "POST", "/admin/api/users/" + user + "/reset", TOKEN, null).statusCode())
                .isEqualTo(204);
        assertThat(send(withAdmin, "GET", "/api/x", null, user).statusCode()).isEqualTo(200);

        HttpResponse<String> badId = send(withAdmin, "POST", "/admin/api/users/a%20b/reset", TOKEN, null);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("\"field\":\"id\"");
    }

    @Test
    void theApplicationsOwnSecurityStaysAsItWas() throws Exception {
        HttpResponse<String> own = send(withAdmin, "GET", "/private/x", null, null);
        assertThat(own.statusCode()).isEqualTo(401);
        assertThat(own.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
    }

    @Test
    void withoutTheSwitchThereIsNoAdminApi() throws Exception {
        assertThat(send(withoutAdmin, "GET", "/admin/api/stats", TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(send(withoutAdmin, "GET", "/api/x", null, "someone").statusCode()).isEqualTo(200);
    }
}
