package dev.abuseguard.gateway.discord;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.gateway.testsupport.DiscordSigner;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.Interactions;
import dev.abuseguard.testsupport.RedisServer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;

/** An interactions route the configuration cannot serve stops the gateway at start-up, with a message naming why. */
class DiscordStartupValidationTest {

    private static final int NO_REDIS = RedisServer.freePort();
    private static final DiscordSigner DISCORD = DiscordSigner.generate(Clock.systemUTC());
    private static final String KEY = DISCORD.publicKeyHex();

    private static String routes(String pacedMaxDelay, String discord) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: interactions
                    uri: http://127.0.0.1:9
                    predicates: [ "Path=/interactions" ]
                    filters: [ DiscordInteractions ]
                abuse-guard:
                  actions:
                    discord_command: { limit: 30, window: 1m, strategy: token-bucket }
                    paced: { limit: 2, window: 2s, strategy: leaky-bucket, max-delay: %s }
                  discord: %s
                """.formatted(pacedMaxDelay, discord);
    }

    private static String discord(String key, String commands) {
        return "{ public-key: \"" + key + "\", default-action: discord_command, commands: " + commands + " }";
    }

    @Test
    void aLeakyBucketThatWouldHoldAnInteractionBeyondHalfOfDiscordsThreeSecondsStopsStartUp() {
        assertThatThrownBy(() -> GatewayApp.start(routes("1501ms", discord(KEY, "{ pace: paced }")), NO_REDIS))
                .hasStackTraceContaining("routes[id=interactions]: DiscordInteractions filter")
                .hasStackTraceContaining("abuse-guard.actions.paced.max-delay is 1501 ms; on an interactions route "
                        + "(abuse-guard.discord.commands.pace) at most 1500 ms");
    }

    /** The gateway starts and serves the route: Discord's endpoint check (a signed PING) gets its PONG. */
    @Test
    void theSameLeakyBucketOnAnActionNoInteractionUsesIsNoConcern() {
        try (GatewayApp gateway = GatewayApp.start(routes("2s", discord(KEY, "{ }")), NO_REDIS)) {
            gateway.client().post().uri("/interactions").contentType(MediaType.APPLICATION_JSON)
                    .headers(DISCORD.headers(Interactions.PING)).bodyValue(Interactions.PING).exchange()
                    .expectStatus().isOk()
                    .expectBody().json("{\"type\":1}", JsonCompareMode.STRICT);
        }
    }

    @Test
    void withoutAPublicKeyStartUpStopsAndSaysWhereToPutIt() {
        assertThatThrownBy(() -> GatewayApp.start(routes("1s", discord("", "{ }")), NO_REDIS))
                .hasStackTraceContaining("routes[id=interactions]")
                .hasStackTraceContaining("abuse-guard.discord.public-key (or the environment variable "
                        + "DISCORD_PUBLIC_KEY) is required");
    }

    @Test
    void aPublicKeyThatIsNotSixtyFourHexDigitsNamesTheField() {
        assertThatThrownBy(() -> GatewayApp.start(routes("1s", discord(KEY.substring(1), "{ }")), NO_REDIS))
                .hasStackTraceContaining("discord.publicKey")
                .hasStackTraceContaining("must be the application's public key: 64 hexadecimal digits");
    }

    @Test
    void aPublicKeyFromTheEnvironmentIsCheckedAsWell() {
        assertThatThrownBy(() -> GatewayApp.start(routes("1s", discord("", "{ }")), NO_REDIS,
                "--DISCORD_PUBLIC_KEY=" + notOnTheCurve()))
                .hasStackTraceContaining("the environment variable DISCORD_PUBLIC_KEY is not an Ed25519 public key");
    }

    @Test
    void aCommandNamingAnUndefinedActionNamesTheCommand() {
        assertThatThrownBy(() -> GatewayApp.start(routes("1s", discord(KEY, "{ open: pack_creat }")), NO_REDIS))
                .hasStackTraceContaining("abuse-guard.discord.commands.open names 'pack_creat', which is not defined "
                        + "under abuse-guard.actions");
    }

    @Test
    void withoutADefaultActionStartUpStops() {
        assertThatThrownBy(() -> GatewayApp.start(routes("1s", "{ public-key: \"" + KEY + "\" }"), NO_REDIS))
                .hasStackTraceContaining("abuse-guard.discord.default-action is required");
    }

    /** 32 bytes that are no point of Ed25519 (about half of all values are not). */
    private static String notOnTheCurve() {
        Random random = new Random(25519);
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        while (true) {
            byte[] candidate = new byte[32];
            random.nextBytes(candidate);
            byte[] encoded = new byte[44];
            System.arraycopy(prefix, 0, encoded, 0, 12);
            System.arraycopy(candidate, 0, encoded, 12, 32);
            try {
                Signature.getInstance("Ed25519").initVerify(
                        KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)));
            } catch (GeneralSecurityException offTheCurve) {
                return HexFormat.of().formatHex(candidate);
            }
        }
    }
}
