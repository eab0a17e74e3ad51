package dev.abuseguard.gateway.testsupport;

import org.springframework.test.web.reactive.server.WebTestClient;

/** Drives a user into a block the way an abuser does: the test routes' limit-1 action, hammered. */
public final class Abusers {

    private Abusers() {
    }

    /** One allowed request on /tiny, then five 429s (scores 10 to 100): the fifth blocks. */
    public static void violateUntilBlocked(WebTestClient client, String user) {
        client.get().uri("/tiny").header("X-User-Id", user).exchange().expectStatus().isOk();
        for (int i = 0; i < 5; i++) {
            client.get().uri("/tiny").header("X-User-Id", user).exchange().expectStatus().isEqualTo(429);
        }
    }
}
