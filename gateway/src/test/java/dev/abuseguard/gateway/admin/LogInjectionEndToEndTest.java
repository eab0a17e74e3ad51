package dev.abuseguard.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An admin's ban reason is written into the audit log line. A reason holding a line break and a quote must
 * stay inside that line's {@code detail="..."}: it cannot end the line and write a forged one (an unban of
 * someone else) that a log reader would believe.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionEndToEndTest {

    private static final String TOKEN = "log-injection-token";
    private static final RedisServer redis = RedisServer.sharedEmpty();
    private static WireMockServer backend;
    private static GatewayApp gateway;
    private static WebTestClient client;

    @BeforeAll
    static void start() {
        backend = Backends.answeringOk();
        gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(), "--abuse-guard.admin.token=" + TOKEN);
        client = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.stop();
    }

    @Test
    void aBanReasonWithALineBreakAndQuotesCannotForgeALogLine(CapturedOutput output) {
        String forged = "2026-12-02T20:00:00.000Z  INFO 1 --- [abuse-guard] [main] abuse-guard.audit : "
                + "event=unblock user=victim action= score=0 by=admin detail=\"\"";
        String reason = "spam\" by=root\r\n" + forged + "\u2028tail";

        client.post().uri("/admin/api/users/mallory/ban").header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("reason", reason)).exchange().expectStatus().isNoContent();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("event=ban user=mallory"));
        List<String> lines = output.getOut().lines().toList();
        assertThat(lines).as("no line of the log is the forged unban")
                .noneMatch(line -> line.startsWith("2026-12-02T20:00:00.000Z"))
                .noneMatch(line -> line.startsWith("tail"));
        List<String> banLines = lines.stream().filter(line -> line.contains("event=ban user=mallory")).toList();
        assertThat(banLines).hasSize(1);
        assertThat(banLines.get(0))
                .as("the reason stays inside its quoted detail, its quote and line breaks escaped")
                .contains(" by=admin detail=\"until unbanned; reason: spam\\\" by=root\\r\\n2026-12-02T20:00:00.000Z")
                .contains("detail=\\\"\\\"\\u2028tail\"")
                .doesNotContain("by=root ");
        assertThat(lines.stream().filter(line -> line.contains("event=unblock"))).allMatch(line -> line.contains("event=ban user=mallory"));
    }
}
