package dev.abuseguard.gateway.server;

import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abuseguard.gateway.testsupport.DiscordSigner;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.Interactions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every request on a kept-alive connection gets its answer, whatever the answer before it was: bot HTTP clients
 * and connection pools reuse a connection and read each answer before they send the next request. Forwarded
 * requests alternate with each answer the gateway makes at once (400, 403 from the copy of blocks, 429, global 429,
 * admin 401, Discord 401 and PONG), and some requests are pipelined. An answer later than a second counts as never.
 */
class KeepAliveEndToEndTest {

    private static final int ROUNDS = 500;
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    private static final DiscordSigner discord = DiscordSigner.generate(Clock.systemUTC());


    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> """
            spring.cloud.gateway.server.webflux.routes:
              - { id: open,   uri: "http://127.0.0.1:%1$d", predicates: [ "Path=/open/**" ],   filters: [ "AbuseGuard=open" ] }
              - { id: tiny,   uri: "http://127.0.0.1:%1$d", predicates: [ "Path=/tiny/**" ],   filters: [ "AbuseGuard=tiny" ] }
              - { id: shared, uri: "http://127.0.0.1:%1$d", predicates: [ "Path=/shared/**" ], filters: [ "AbuseGuard=shared" ] }
              - { id: interactions, uri: "http://127.0.0.1:%1$d", predicates: [ "Path=/interactions" ], filters: [ DiscordInteractions ] }
            abuse-guard:
              actions:
                open:   { limit: 1000000, window: 1h, strategy: token-bucket }
                tiny:   { limit: 1, window: 1h, strategy: token-bucket }
                shared: { limit: 1000000, window: 1h, strategy: token-bucket, global: { limit: 1, window: 1h } }
                discord_command: { limit: 1000000, window: 1h, strategy: token-bucket }
              discord:
                default-action: discord_command
            """.formatted(port))
            .with("--DISCORD_PUBLIC_KEY=" + discord.publicKeyHex());

    /** What the sequences refuse from memory: a banned user's block, a spent global limit. */
    @BeforeAll
    static void banAndSpend() {
        try (KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), Duration.ofSeconds(10))) {
            assertThat(connection.exchange(connection.request("POST", "/admin/api/users/mallory/ban",
                    "Authorization: Bearer " + ADMIN_TOKEN + "\r\n", "")).status()).isEqualTo(204);
            assertThat(connection.exchange(get("/shared/first", "X-User-Id: spender\r\n")).status()).isEqualTo(200);
            assertThat(connection.exchange(get("/open/x", "X-User-Id: mallory\r\n")).status()).isEqualTo(403);
        }
    }

    /** A request and the status it must get. */
    private record Step(String request, int status) {
    }

    private static String get(String target, String headerLines) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headerLines + "\r\n";
    }

    private static String post(String target, String headerLines, byte[] body) {
        return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headerLines + "Content-Length: " + body.length
                + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
    }

    private static Step forwarded(int round) {
        return new Step(get("/open/r" + round, "X-User-Id: alice\r\n"), 200);
    }

    private static Step interaction(byte[] body, String signatureHex, int status) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String signature = signatureHex == null ? discord.signatureHex(timestamp, body) : signatureHex;
        return new Step(post("/interactions", "Content-Type: application/json\r\nX-Signature-Ed25519: " + signature
                + "\r\nX-Signature-Timestamp: " + timestamp + "\r\n", body), status);
    }

    /** Sends each round's steps one after the other on one connection (a new one only after a miss); the misses. */
    private static List<String> run(String sequence, IntFunction<List<Step>> rounds) {
        List<String> misses = new ArrayList<>();
        KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), ANSWER_WITHIN);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (Step step : rounds.apply(round)) {
                    KeptAliveConnection.Answer answer = connection.exchange(step.request());
                    if (answer == null || answer.status() != step.status()) {
                        misses.add("round " + round + ": " + (answer == null ? "no answer" : answer.status()) + " to "
                                + step.request().lines().findFirst().orElseThrow());
                    }
                    if (answer == null || answer.closesConnection()) {
                        connection.close();
                        connection = KeptAliveConnection.open(gateway.port(), ANSWER_WITHIN);
                    }
                }
            }
        } finally {
            connection.close();
        }
        System.out.printf("FIGURES keep-alive, %s: %d of %d requests unanswered or wrong%n", sequence, misses.size(),
                ROUNDS * 3);
        return misses;
    }

    @Test
    void aRequestAfterABadRequestIsAnswered() {
        assertThat(run("after a 400", round -> List.of(forwarded(round), new Step(get("/open/x", ""), 400),
                forwarded(round))))
                .isEmpty();
    }

    @Test
    void aRequestAfterABlockedUsersRefusalIsAnswered() {
        assertThat(run("after a 403", round -> List.of(forwarded(round), new Step(get("/open/x",
                "X-User-Id: mallory\r\n"), 403),
                forwarded(round)))).isEmpty();
    }

    @Test
    void aRequestAfterARateLimitedOneIsAnswered() {
        assertThat(run("after a 429", round -> List.of(new Step(get("/tiny/x", "X-User-Id: t" + round + "\r\n"), 200),
                new Step(get("/tiny/x", "X-User-Id: t" + round + "\r\n"), 429), forwarded(round)))).isEmpty();
    }

    @Test
    void aRequestAfterAGlobalRefusalIsAnswered() {
        assertThat(run("after a global 429", round -> List.of(forwarded(round), new Step(get("/shared/x", "X-User-Id: g"
                + round + "\r\n"), 429),
                forwarded(round)))).isEmpty();
    }

    @Test
    void aRequestAfterAnUnauthorisedAdminCallIsAnswered() {
        assertThat(run("after an admin 401", round -> List.of(new Step(get("/admin/api/stats", "Authorization: Bearer "
                + ADMIN_TOKEN + "\r\n"), 200),
                new Step(get("/admin/api/stats", ""), 401), new Step(get("/actuator/health", ""), 200)))).isEmpty();
    }

    @Test
    void aRequestAfterAnUnsignedInteractionIsAnswered() {
        byte[] command = Interactions.commandInGuild("42", "613425648685547541", "hello");
        assertThat(run("after a Discord 401", round -> List.of(forwarded(round), interaction(command, "00".repeat(64),
                401),
                forwarded(round)))).isEmpty();
    }

    @Test
    void aRequestAfterAPongIsAnswered() {
        assertThat(run("after a PONG", round -> List.of(forwarded(round), interaction(Interactions.PING, null, 200),
                forwarded(round))))
                .isEmpty();
    }

    @Test
    void pipelinedRequestsAreAllAnswered() {
        List<String> misses = new ArrayList<>();
        for (int round = 0; round < ROUNDS / 4; round++) {
            List<Step> steps = List.of(forwarded(round), new Step(get("/open/x", ""), 400), forwarded(round),
                    new Step(get("/open/x", "X-User-Id: mallory\r\n"), 403));
            try (KeptAliveConnection connection = KeptAliveConnection.open(gateway.port(), ANSWER_WITHIN)) {
                connection.write(steps.stream().map(Step::request).toArray(String[]::new));
                for (Step step : steps) {
                    KeptAliveConnection.Answer answer = connection.read();
                    if (answer == null || answer.status() != step.status()) {
                        misses.add("round " + round + ": " + (answer == null ? "no answer" : answer.status()));
                        break;
                    }
                }
            }
        }
        System.out.printf("FIGURES keep-alive, pipelined: %d of %d requests unanswered or wrong%n", misses.size(),
                ROUNDS);
        assertThat(misses).isEmpty();
    }
}
