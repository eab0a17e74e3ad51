package dev.abuseguard.gateway.admin;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

/**
 * An admin's ban reason is written into the audit log line. A reason holding a line break and a quote must
 * stay inside that line's {@code detail="..."}: it cannot end the line and write a forged one (an unban of
 * someone else) that a log reader would believe.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes();

    @Test
    void aBanReasonWithALineBreakAndQuotesCannotForgeALogLine(CapturedOutput output) {
        String forged = "2026-12-02T20:00:00.000Z  INFO 1 --- [abuse-guard] [main] abuse-guard.audit : "
                + "event=unblock user=victim action= score=0 by=admin detail=\"\"";
        String reason = "spam\" by=root\r\n" + forged + "\u2028tail";

        gateway.client().post().uri("/admin/api/users/mallory/ban").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", reason)).exchange().expectStatus().isNoContent();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut()
                .contains("event=ban user=mallory"));
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
        assertThat(lines.stream().filter(line -> line.contains("event=unblock")))
                .allMatch(line -> line.contains("event=ban user=mallory"));
    }
}
