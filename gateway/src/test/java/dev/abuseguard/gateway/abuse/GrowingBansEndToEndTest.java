package dev.abuseguard.gateway.abuse;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Growing bans through the running gateway on Redis, with blocks of seconds (Redis keeps its own time): each new
 * automatic block of a user, on whichever action, lasts the factor times the one before, at most the longest;
 * the 403 tells the block's length in {@code Retry-After}, and the admin's view of the user counts the blocks.
 */
class GrowingBansEndToEndTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes().storeTimeout("5s").with(
            "--abuse-guard.abuse.block-duration=2s", "--abuse-guard.abuse.block-duration-factor=2",
            "--abuse-guard.abuse.max-block-duration=5s");

    @Test
    void eachNewBlockLastsTwiceAsLongAsTheOneBeforeAtMostFiveSecondsWhateverTheAction() {
        String user = "greg";
        get("/tiny/x", user).expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            get("/tiny/x", user).expectStatus().isEqualTo(429);
        }
        blockedFor(user, "2");

        get("/tiny/x", user).expectStatus().isEqualTo(429); // one violation: the score is past the threshold
        long secondStarted = System.nanoTime();
        long secondEnds = blockedFor(user, "4");
        assertThat(Duration.ofNanos(secondEnds - secondStarted)).as("the second block lasts 4 s")
                .isGreaterThan(Duration.ofMillis(3_500));

        for (int i = 0; i < 5; i++) { // the next block comes from another action: blocks count per user
            get("/payments/pay", user).expectStatus().isOk();
        }
        get("/payments/pay", user).expectStatus().isEqualTo(429);
        blockedFor(user, "5"); // 8 s, capped at 5 s

        admin().get().uri("/admin/api/users/" + user).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.blocks").isEqualTo(3)
                .jsonPath("$.blocked").isEqualTo(false);
    }

    @Test
    void aResetForgetsTheBlocksAndTheNextBlockIsTheFirstAgain() {
        String user = "hana";
        get("/tiny/x", user).expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            get("/tiny/x", user).expectStatus().isEqualTo(429);
        }
        blockedFor(user, "2");
        get("/tiny/x", user).expectStatus().isEqualTo(429);
        get("/steady/x", user).expectStatus().isForbidden().expectHeader().valueEquals("Retry-After", "4");

        admin().post().uri("/admin/api/users/" + user + "/reset").exchange().expectStatus().isNoContent();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> get("/steady/x", user).returnResult(Void.class).getStatus().value() == 200);
        get("/tiny/x", user).expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            get("/tiny/x", user).expectStatus().isEqualTo(429);
        }
        get("/steady/x", user).expectStatus().isForbidden().expectHeader().valueEquals("Retry-After", "2");
        admin().get().uri("/admin/api/users/" + user).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.blocks").isEqualTo(1);
    }

    /**
     * The user is blocked on every action with {@code Retry-After} of so many seconds, until the block ends by
     * itself; probed on an action with room to spare, so a probe is never a violation. Returns when it ended.
     */
    private static long blockedFor(String user, String seconds) {
        get("/steady/x", user).expectStatus().isForbidden()
                .expectHeader().valueEquals("X-Abuse-Blocked", "true")
                .expectHeader().valueEquals("Retry-After", seconds);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/steady/x", user).returnResult(Void.class).getStatus().value() == 200);
        return System.nanoTime();
    }

    private static WebTestClient.ResponseSpec get(String path, String user) {
        return gateway.client().get().uri(path).header("X-User-Id", user).exchange();
    }

    private static WebTestClient admin() {
        return gateway.client().mutate().defaultHeader("Authorization", "Bearer " + ADMIN_TOKEN).build();
    }
}
