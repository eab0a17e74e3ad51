package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.DiscordSigner;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import dev.abuseguard.gateway.testsupport.Interactions;
import dev.abuseguard.testsupport.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * A bot's interactions endpoint behind the gateway, signed as Discord signs (a key of the test's own), on real
 * Redis with a WireMock bot: what Discord and the user see, and what reaches the bot.
 */
class DiscordInteractionsEndToEndTest {

    private static final ManualClock clock = new ManualClock(System.currentTimeMillis() / 1000 * 1000);
    private static final DiscordSigner discord = DiscordSigner.generate(clock);
    private static final DiscordSigner stranger = DiscordSigner.generate(clock);
    private static final String GUILD = "613425648685547541";
    private static final String OTHER_GUILD = "81384788765712384";
    private static final String BOT_ANSWER = "{\"type\":4,\"data\":{\"content\":\"from the bot\"}}";
    private static final String RATE_LIMITED = "Slow down! Again {retry}.";
    private static final String BLOCKED_UNTIL_LIFTED = "You are blocked here.";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> routes(port, "1500ms"))
            .stubbedBackend().clock(clock).with("--DISCORD_PUBLIC_KEY=" + discord.publicKeyHex());

    private static String routes(int backendPort, String pacedMaxDelay) {
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: interactions
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/interactions" ]
                    filters: [ DiscordInteractions ]
                  - id: tiny
                    uri: http://127.0.0.1:%1$d
                    predicates: [ "Path=/tiny/**" ]
                    filters: [ "AbuseGuard=tiny" ]
                abuse-guard:
                  actions:
                    discord_command: { limit: 30, window: 1m,  strategy: token-bucket }
                    discord_typing:  { limit: 3,  window: 1h,  strategy: token-bucket }
                    pack_create:     { limit: 2,  window: 1h,  strategy: token-bucket, on-store-failure: deny }
                    pack_purchase:   { limit: 1,  window: 24h, strategy: sliding-window }
                    paced:           { limit: 2,  window: 2s,  strategy: leaky-bucket, max-delay: %2$s }
                    tiny:            { limit: 1,  window: 1h,  strategy: token-bucket }
                  discord:
                    default-action: discord_command
                    autocomplete-action: discord_typing
                    commands: { open: pack_create, buy: pack_purchase, pace: paced }
                    messages:
                      rate-limited: "%3$s"
                      blocked-until-lifted: "%4$s"
                """.formatted(backendPort, pacedMaxDelay, RATE_LIMITED, BLOCKED_UNTIL_LIFTED);
    }

    @BeforeEach
    void reset() {
        gateway.flushTrends(); // the earlier tests' counts, which would otherwise reach Redis during this one
        gateway.redis().flushAll();
        gateway.backend().resetAll();
        gateway.backend().stubFor(post(urlEqualTo("/interactions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(BOT_ANSWER)));
        gateway.backend().stubFor(get(urlPathMatching("/tiny(/.*)?")).willReturn(aResponse().withStatus(200)));
    }

    private static WebTestClient.ResponseSpec send(byte[] body) {
        return send(body, discord.headers(body));
    }

    private static WebTestClient.ResponseSpec send(byte[] body, Consumer<HttpHeaders> headers) {
        return gateway.client().post().uri("/interactions").contentType(MediaType.APPLICATION_JSON).headers(headers)
                .bodyValue(body).exchange();
    }

    private static void expectForwarded(WebTestClient.ResponseSpec response) {
        response.expectStatus().isOk().expectBody().json(BOT_ANSWER, JsonCompareMode.STRICT);
    }

    private static void expectEphemeral(WebTestClient.ResponseSpec response, String content) {
        response.expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"type\":4,\"data\":{\"flags\":64,\"content\":\"" + content + "\","
                        + "\"allowed_mentions\":{\"parse\":[]}}}", JsonCompareMode.STRICT);
    }

    /** The rate-limited message with its retry time written as Discord writes timestamps. */
    private static String rateLimitedRetryingIn(Duration retry) {
        return RATE_LIMITED.replace("{retry}", "<t:" + (clock.millis() + retry.toMillis()) / 1000 + ":R>");
    }

    private static void expectNothingStoredOrForwarded() {
        assertThat(gateway.redis().keys("*")).isEmpty();
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aVerifiedCommandReachesTheBotAsTheExactBytesSignedWithTheSignatureHeaders() {
        // spacing, escapes and non-ASCII as Discord may send them: a re-serialized body would fail the bot's check
        byte[] body = ("{ \"type\" : "
                + "2,\"id\":\"1399999999999999999\",\"member\":{\"user\":{\"id\":\"200000000000000001\","
                + "\"username\":\"Zo\u00eb \\u2728\"}},"
                + "\"guild_id\":\"" + GUILD + "\",\"data\":{\"name\":\"open\"}  }\n").getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(discord.nowSeconds());

        expectForwarded(send(body, discord.headers(timestamp, body)));

        gateway.backend().verify(1, postRequestedFor(urlEqualTo("/interactions"))
                .withRequestBody(binaryEqualTo(body))
                .withHeader(DiscordSigner.SIGNATURE, equalTo(discord.signatureHex(timestamp, body)))
                .withHeader(DiscordSigner.TIMESTAMP, equalTo(timestamp))
                .withHeader(HttpHeaders.CONTENT_LENGTH, equalTo(Integer.toString(body.length))));
    }

    @Test
    void aChunkedInteractionIsForwardedWithItsLengthStated() {
        byte[] body = Interactions.commandInGuild("200000000000000020", GUILD, "open");
        Flux<DataBuffer> chunks = Flux.just(Arrays.copyOfRange(body, 0, 100),
                        Arrays.copyOfRange(body, 100, body.length))
                .map(DefaultDataBufferFactory.sharedInstance::wrap);

        expectForwarded(gateway.client().post().uri("/interactions").contentType(MediaType.APPLICATION_JSON)
                .headers(discord.headers(body)).body(chunks, DataBuffer.class).exchange());

        gateway.backend().verify(1, postRequestedFor(urlEqualTo("/interactions")).withRequestBody(binaryEqualTo(body))
                .withHeader(HttpHeaders.CONTENT_LENGTH, equalTo(Integer.toString(body.length)))
                .withoutHeader(HttpHeaders.TRANSFER_ENCODING));
    }

    static Stream<Arguments> unverified() {
        byte[] body = Interactions.commandInGuild("200000000000000002", GUILD, "open");
        String now = Long.toString(discord.nowSeconds());
        String signature = discord.signatureHex(now, body);
        return Stream.of(
                unverified("no signature headers", h -> { }),
                unverified("no signature", h -> h.set(DiscordSigner.TIMESTAMP, now)),
                unverified("no timestamp", h -> h.set(DiscordSigner.SIGNATURE, signature)),
                unverified("signature not hex", h -> { h.set(DiscordSigner.TIMESTAMP, now);
                    h.set(DiscordSigner.SIGNATURE, "z".repeat(128)); }),
                unverified("signature too short", h -> { h.set(DiscordSigner.TIMESTAMP, now);
                    h.set(DiscordSigner.SIGNATURE, signature.substring(2)); }),
                unverified("all-zero signature", h -> { h.set(DiscordSigner.TIMESTAMP, now);
                    h.set(DiscordSigner.SIGNATURE, "0".repeat(128)); }),
                unverified("signature scalar out of range", h -> { h.set(DiscordSigner.TIMESTAMP, now);
                    h.set(DiscordSigner.SIGNATURE, signature.substring(0, 64) + "f".repeat(64)); }),
                unverified("signed by another key", stranger.headers(now, body)),
                unverified("signature over another timestamp", h -> {
                    h.set(DiscordSigner.SIGNATURE, discord.signatureHex(Long.toString(discord.nowSeconds() - 1), body));
                    h.set(DiscordSigner.TIMESTAMP, now); }),
                unverified("signature sent twice", h -> { h.set(DiscordSigner.TIMESTAMP, now);
                    h.addAll(DiscordSigner.SIGNATURE, List.of(signature, signature)); }),
                unverified("timestamp not a number", h -> { h.set(DiscordSigner.SIGNATURE, signature);
                    h.set(DiscordSigner.TIMESTAMP, now + ".0"); }),
                unverified("timestamp in milliseconds", discord.headers(Long.toString(clock.millis()), body)));
    }

    private static Arguments unverified(String name, Consumer<HttpHeaders> headers) {
        return Arguments.of(name, headers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unverified")
    void anUnverifiedRequestGets401BeforeAnythingElse(String name, Consumer<HttpHeaders> headers) {
        send(Interactions.commandInGuild("200000000000000002", GUILD, "open"), headers)
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:bad-signature")
                .jsonPath("$.status").isEqualTo(401);

        expectNothingStoredOrForwarded();
    }

    @Test
    void aBodyChangedAfterSigningGets401() {
        byte[] signed = Interactions.commandInGuild("200000000000000003", GUILD, "open");
        byte[] changed = Interactions.commandInGuild("200000000000000004", GUILD, "open"); // another user's id
        assertThat(changed).hasSameSizeAs(signed);

        send(changed, discord.headers(signed)).expectStatus().isUnauthorized();
        byte[] appended = (new String(signed, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        send(appended, discord.headers(signed)).expectStatus().isUnauthorized();

        expectNothingStoredOrForwarded();
    }

    @Test
    void aTimestampMoreThanFiveMinutesAwayGets401AndOneWithinThemPasses() {
        byte[] body = Interactions.commandInGuild("200000000000000005", GUILD, "open");
        long now = discord.nowSeconds();

        send(body, discord.headers(Long.toString(now - 301), body)).expectStatus().isUnauthorized();
        send(body, discord.headers(Long.toString(now + 301), body)).expectStatus().isUnauthorized();
        expectNothingStoredOrForwarded();

        expectForwarded(send(body, discord.headers(Long.toString(now - 299), body)));
    }

    @Test
    void aSignedRequestReplayedLaterThanFiveMinutesGets401() {
        byte[] body = Interactions.commandInGuild("200000000000000006", GUILD, "open");
        Consumer<HttpHeaders> signedNow = discord.headers(body);
        expectForwarded(send(body, signedNow));

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        try {
            send(body, signedNow).expectStatus().isUnauthorized();
        } finally {
            clock.advance(Duration.ofMinutes(5).plusSeconds(1).negated());
        }
        gateway.backend().verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBotSlowerThanDiscordWaitsIsCutOffWithTheUnavailableMessageAndSpendsNothing() {
        gateway.backend().stubFor(post(urlEqualTo("/interactions")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(6_000)
                .withHeader("Content-Type", "application/json").withBody(BOT_ANSWER)));
        String user = "200000000000000031";
        long start = System.nanoTime();
        expectEphemeral(send(Interactions.commandInGuild(user, GUILD, "buy")),
                "The bot can't answer right now. Please try again in a moment.");
        long answeredAfterMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("FIGURES slow bot (6 s): Discord answered after %d ms%n", answeredAfterMillis);
        assertThat(answeredAfterMillis).as("answered before Discord gives up at 3 s")
                .isBetween(2_400L, 2_900L);

        // pack_purchase allows 1 a day: the unit the unanswered command took was given back
        gateway.backend().stubFor(post(urlEqualTo("/interactions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(BOT_ANSWER)));
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "buy")));
        send(Interactions.commandInGuild(user, GUILD, "buy")).expectStatus().isOk()
                .expectBody().jsonPath("$.data.content").value(content ->
                        assertThat((String) content).startsWith("Slow down!"));
    }

    @Test
    void aReplayedInteractionIsRefusedWithoutReachingTheBotSpendingOrScoring() {
        String user = "200000000000000041";
        byte[] first = Interactions.commandInGuild(user, GUILD, "open"); // pack_create: 2 an hour
        expectForwarded(send(first));
        for (int i = 0; i < 3; i++) { // the same signed bytes again, signed anew or as they were
            send(first, i == 0 ? discord.headers(first) : discord.headers(Long.toString(discord.nowSeconds() - 60),
                    first))
                    .expectStatus().isEqualTo(409)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:replayed");
        }
        gateway.backend().verify(1, postRequestedFor(urlEqualTo("/interactions")));
        assertThat(gateway.redis().keys("ag:{ix:*")).hasSize(1);

        // the replays spent nothing: the second unit of the hour is still there, and nothing was scored
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "open")));
        gateway.client().get().uri("/admin/api/users/" + user).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void pingGetsPongAndIsNeverLimitedNorForwarded() {
        for (int i = 0; i < 40; i++) { // beyond every limit of the route
            send(Interactions.PING).expectStatus().isOk()
                    .expectHeader().contentType(MediaType.APPLICATION_JSON)
                    .expectBody().json("{\"type\":1}", JsonCompareMode.STRICT);
        }
        expectNothingStoredOrForwarded();
    }

    @Test
    void aUserIsOneUserInEveryGuildAndInDmsAndOthersAreNotAffected() {
        String user = "200000000000000007";
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "open")));
        expectForwarded(send(Interactions.commandInDm(user, "open")));

        expectEphemeral(send(Interactions.commandInGuild(user, OTHER_GUILD, "open")),
                rateLimitedRetryingIn(Duration.ofMinutes(30)));
        expectEphemeral(send(Interactions.commandInDm(user, "open")), rateLimitedRetryingIn(Duration.ofMinutes(30)));
        expectForwarded(send(Interactions.commandInGuild("200000000000000008", GUILD, "open")));
        expectForwarded(send(Interactions.commandInDm("200000000000000009", "open")));

        assertThat(gateway.redis().keys("ag:{u:" + user + "}:*")).isNotEmpty();
        gateway.backend().verify(4, anyRequestedFor(anyUrl()));
    }

    @Test
    void overTheLimitTheUserReadsWhenToRetryAndTheViolationIsScoredAndAudited() {
        String user = "200000000000000010";
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "buy")));

        expectEphemeral(send(Interactions.commandInGuild(user, GUILD, "buy")),
                rateLimitedRetryingIn(Duration.ofDays(1)));

        gateway.backend().verify(1, anyRequestedFor(anyUrl()));
        assertThat(gateway.redis().run("GET", "ag:{u:" + user + "}:abuse").get(0)).startsWith("10:");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(Collections.indexOfSubList(gateway.redis().run("XRANGE", "ag:{idx}:events", "-", "+"),
                        List.of("type", "violation", "user", user, "action", "pack_purchase"))).isNotNegative());
    }

    @Test
    void violationsInDiscordBlockTheUserOnEveryRouteAsViolationsAnywhere() {
        String user = "200000000000000011";
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "buy")));
        for (int i = 0; i < 5; i++) { // scores 10, 25, 45, 70, 100: the fifth blocks
            send(Interactions.commandInGuild(user, GUILD, "buy")).expectStatus().isOk();
        }

        expectEphemeral(send(Interactions.commandInGuild(user, GUILD, "open")), BLOCKED_UNTIL_LIFTED);
        gateway.client().get().uri("/tiny").header("X-User-Id", user).exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals("X-Abuse-Score", "100");
        gateway.backend().verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aUserBlockedElsewhereReadsThatTheyAreBlockedAndTheBotIsNotCalled() {
        String user = "200000000000000012";
        Abusers.violateUntilBlocked(gateway.client(), user);
        gateway.backend().resetRequests();

        expectEphemeral(send(Interactions.commandInGuild(user, GUILD, "open")), BLOCKED_UNTIL_LIFTED);
        expectEphemeral(send(Interactions.component(user, GUILD, "buy:gold")), BLOCKED_UNTIL_LIFTED);
        send(Interactions.autocomplete(user, GUILD, "open")).expectStatus().isOk()
                .expectBody().json("{\"type\":8,\"data\":{\"choices\":[]}}", JsonCompareMode.STRICT);
        gateway.backend().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void autocompleteHasALimitOfItsOwnAndALimitedOneGetsNoChoices() {
        String user = "200000000000000013";
        for (int i = 0; i < 3; i++) {
            expectForwarded(send(Interactions.autocomplete(user, GUILD, "open")));
        }

        send(Interactions.autocomplete(user, GUILD, "open")).expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"type\":8,\"data\":{\"choices\":[]}}", JsonCompareMode.STRICT);
        gateway.backend().verify(3, anyRequestedFor(anyUrl()));
        // typing spent nothing of the command's own quota
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "open")));
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "open")));
    }

    @Test
    void componentsAreLimitedByTheirCustomIdPrefix() {
        String user = "200000000000000014";
        expectForwarded(send(Interactions.component(user, GUILD, "buy:gold:3")));

        expectEphemeral(send(Interactions.component(user, GUILD, "buy_silver")),
                rateLimitedRetryingIn(Duration.ofDays(1)));
        expectForwarded(send(Interactions.component(user, GUILD, "buyer"))); // not buy's: the default action
        expectForwarded(send(Interactions.commandInGuild(user, GUILD, "unmapped")));
        gateway.backend().verify(3, anyRequestedFor(anyUrl()));
    }

    @Test
    void theActionComesFromTheSignedBodyOnlyNotFromHeaders() {
        String user = "200000000000000015";
        byte[] body = Interactions.commandInGuild(user, GUILD, "buy");
        expectForwarded(send(body));

        byte[] again = Interactions.commandInGuild(user, GUILD, "buy");
        send(again, discord.headers(again).andThen(h -> { h.set("X-Action", "discord_command");
                    h.set("X-User-Id", "200000000000000016"); }))
                .expectStatus().isOk().expectBody().jsonPath("$.data.flags").isEqualTo(64);
        gateway.backend().verify(1, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> notInteractions() {
        return Stream.of(
                Arguments.of("not JSON", "open sesame"),
                Arguments.of("empty", ""),
                Arguments.of("an array", "[{\"type\":2}]"),
                Arguments.of("no type", "{\"user\":{\"id\":\"1\"}}"),
                Arguments.of("type as text", "{\"type\":\"2\",\"user\":{\"id\":\"1\"}}"),
                Arguments.of("no user", "{\"type\":2,\"data\":{\"name\":\"open\"}}"),
                Arguments.of("user id breaking its hash tag", "{\"type\":2,\"user\":{\"id\":\"1}x{\"}}"),
                Arguments.of("user id a number", "{\"type\":2,\"user\":{\"id\":1}}"),
                Arguments.of("guild id not an id",
                        "{\"type\":2,\"guild_id\":\"*\",\"member\":{\"user\":{\"id\":\"1\"}}}"),
                Arguments.of("member without its user",
                        "{\"type\":2,\"member\":{\"nick\":\"x\"},\"user\":{\"id\":\"1\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notInteractions")
    void aSignedBodyThatIsNotAnInteractionGets400(String name, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        send(body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:bad-request");

        expectNothingStoredOrForwarded();
    }

    /** {@code interaction} grown to exactly {@code size} bytes by a field the gateway does not read. */
    private static byte[] padded(byte[] interaction, int size) {
        byte[] field = "{\"padding\":\"\",".getBytes(StandardCharsets.US_ASCII);
        int padding = size - field.length - (interaction.length - 1);
        byte[] grown = new byte[size];
        System.arraycopy(field, 0, grown, 0, field.length - 2);
        Arrays.fill(grown, field.length - 2, field.length - 2 + padding, (byte) 'x');
        System.arraycopy(field, field.length - 2, grown, field.length - 2 + padding, 2);
        System.arraycopy(interaction, 1, grown, field.length + padding, interaction.length - 1);
        return grown;
    }

    @Test
    void anInteractionOverTheBoundGets413WhetherItsLengthIsDeclaredOrNot() {
        byte[] tooLarge = padded(Interactions.commandInGuild("200000000000000017", GUILD, "open"), 64 * 1024 + 1);

        send(tooLarge).expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:abuse-guard:problem:too-large")
                .jsonPath("$.detail").isEqualTo("An interaction is at most 65536 bytes here.");
        Flux<DataBuffer> chunks = Flux.range(0, 65).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                Arrays.copyOfRange(tooLarge, i * 1024, Math.min(tooLarge.length, (i + 1) * 1024))));
        gateway.client().post().uri("/interactions").headers(discord.headers(tooLarge)).body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.detail").isEqualTo("An interaction is at most 65536 bytes here.");
        expectNothingStoredOrForwarded();

        byte[] atTheBound = padded(Interactions.commandInGuild("200000000000000017", GUILD, "open"), 64 * 1024);
        expectForwarded(send(atTheBound));
        gateway.backend().verify(1, postRequestedFor(urlEqualTo("/interactions"))
                .withRequestBody(binaryEqualTo(atTheBound)));
    }

    @Test
    void aLeakyBucketHoldsAnInteractionWithinDiscordsThreeSecondsAndRefusesOneThatWouldWaitLonger() {
        String user = "200000000000000018";
        byte[] body = Interactions.commandInGuild(user, GUILD, "pace");
        long firstSent = System.nanoTime();
        expectForwarded(send(body));

        // sent together: one gets the next turn (1 s away), the other's turn (2 s away) is beyond max-delay (1.5 s)
        List<byte[]> bodies = List.of(Interactions.commandInGuild(user, GUILD, "pace"),
                Interactions.commandInGuild(user, GUILD, "pace"));
        List<String[]> answers = Flux.range(0, 2)
                .flatMap(i -> gateway.webClient().post().uri("/interactions").headers(discord.headers(bodies.get(i)))
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(bodies.get(i))
                        .exchangeToMono(r -> r.bodyToMono(String.class).map(answer -> new String[] {
                                r.statusCode().value() + " " + answer,
                                Long.toString((System.nanoTime() - firstSent) / 1_000_000)})))
                .collectList().block(Duration.ofSeconds(10));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a[0]).startsWith("200 ");
            assertThat(Long.parseLong(a[1])).as("answered within Discord's 3 s").isLessThan(3000);
        });
        String[] forwarded = answers.stream().filter(a -> a[0].contains("from the bot")).findFirst().orElseThrow();
        assertThat(Long.parseLong(forwarded[1])).as("held until its turn, 1 s after the first")
                .isGreaterThanOrEqualTo(990);
        assertThat(answers).filteredOn(a -> a[0].contains("\"flags\":64")).hasSize(1);
        gateway.backend().verify(2, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRefreshRaisingAnInteractionsActionsDelayBeyondTheBudgetIsRejected() {
        gateway.app().rewriteRoutes(routes(gateway.backend().port(), "2s"));
        try {
            gateway.client().post().uri("/actuator/refresh").header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .header("Connection", "close").exchange().expectStatus().is5xxServerError();
        } finally {
            gateway.app().rewriteRoutes(routes(gateway.backend().port(), "1500ms"));
        }
        expectForwarded(send(Interactions.commandInGuild("200000000000000019", GUILD, "pace")));
    }
}
