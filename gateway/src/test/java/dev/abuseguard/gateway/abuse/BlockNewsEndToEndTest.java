package dev.abuseguard.gateway.abuse;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;

import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.redis.BlockInvalidations;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpMethod;

/**
 * News of blocks reaches every instance whatever the ids look like: with an identity pattern that allows phone
 * numbers and '*', an unban of {@code +15551234567} or of {@code *} is news of that user only, and a message on
 * the channel that cannot be read is skipped, so the next unban still reaches the other instance's copy.
 */
class BlockNewsEndToEndTest {

    private static final String PATTERN = "--abuse-guard.identity.pattern=^[+*A-Za-z0-9_.@:-]{1,128}$";
    @RegisterExtension
    static final GatewayExtension gateways = GatewayExtension.onTestRoutes().instances(2).with(PATTERN);

    private static void admin(GatewayApp app, String method, String path, int status) {
        app.client().method(HttpMethod.valueOf(method)).uri("/admin/api" + path)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).exchange().expectStatus().isEqualTo(status);
    }

    private static int status(GatewayApp app, String user) {
        return app.webClient().get().uri("/tiny").header("X-User-Id", user)
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block(Duration.ofSeconds(10));
    }

    @Test
    void unusualIdsAndUnreadableNewsLeaveTheNewsFlowing() {
        // the first instance keeps a copy of a banned user's block, and refuses them from it
        admin(gateways.second(), "POST", "/users/keeper/ban", 204);
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> status(gateways.first(), "keeper") == 403);

        for (String id : new String[] {"+15551234567", "*"}) {
            admin(gateways.second(), "POST", "/users/" + id + "/ban", 204);
            admin(gateways.second(), "DELETE", "/users/" + id + "/ban", 204);
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> status(gateways.first(), id) == 200);
        }
        gateways.redis().run("PUBLISH", BlockInvalidations.CHANNEL, "b not-a-number 1 x");
        gateways.redis().run("PUBLISH", BlockInvalidations.CHANNEL, "two words");

        // the first instance still hears the news: an unban on the other lifts its copy's block within a second
        // (the copy is read afresh from Redis only once a minute)
        admin(gateways.second(), "DELETE", "/users/keeper/ban", 204);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> status(gateways.first(), "keeper") == 200);
    }
}
