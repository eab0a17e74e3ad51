package dev.abuseguard.gateway.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discord's own REST client, {@code @discordjs/rest} from npm, pointed at the gateway instead of Discord: it sends
 * three times the limit, one message after the other, as one user, and paces itself from our X-RateLimit-* headers
 * as it paces itself from Discord's, so it never meets a 429 and every message reaches the backend once.
 */
class DiscordRestClientEndToEndTest {

    private static final String PATH = "/api/v10/channels/1/messages";
    private static final int LIMIT = 3;
    private static final long WINDOW_MILLIS = 2000;
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onRoutes(port -> """
            spring.cloud.gateway.server.webflux.routes:
              - id: discord-api
                uri: http://127.0.0.1:%d
                predicates: [ "Path=/api/v10/**" ]
                filters: [ "AbuseGuard=send_message" ]
            abuse-guard:
              actions:
                send_message: { limit: %d, window: %dms, strategy: token-bucket }
            """.formatted(port, LIMIT, WINDOW_MILLIS)).stubbedBackend();
    /** Discord's API as the client sees it: the backend behind the gateway. */
    private static WireMockServer discord;

    @BeforeAll
    static void start() throws Exception {
        DiscordRestClient.install();
        discord = gateway.backend();
        discord.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"1\",\"content\":\"ok\"}")));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theClientPacesItselfFromOurHeadersAndMeetsNo429() throws Exception {
        int count = 3 * LIMIT;
        discord.resetRequests();

        JsonNode seen = new JsonMapper().readTree(
                DiscordRestClient.sendMessages(gateway.baseUrl() + "/api", "bot-user-1", count, 50));
        System.out.println("@discordjs/rest saw: " + seen); // the figures docs/discord.md quotes

        assertThat(seen.get("errors").size()).as("errors: %s", seen.get("errors")).isZero();
        assertThat(seen.get("succeeded").asInt()).isEqualTo(count);
        assertThat(seen.get("responses").asInt()).as("answers the client received").isEqualTo(count);
        assertThat(seen.get("tooManyRequests").asInt()).as("429s the client met").isZero();
        assertThat(seen.get("statuses").toString()).isEqualTo("{\"200\":" + count + "}");
        assertThat(seen.get("buckets").size()).as("one X-RateLimit-Bucket for the route's action").isEqualTo(1);
        discord.verify(count, postRequestedFor(urlEqualTo(PATH)).withHeader("X-User-Id", equalTo("bot-user-1")));
        assertThat(discord.getAllServeEvents()).hasSize(count);

        // the client held its requests back from our headers before each new batch of LIMIT: it emitted
        // 'rateLimited' (Discord's client does so when it waits for a bucket's reset) and the run took that long
        JsonNode waits = seen.get("rateLimited");
        assertThat(waits.size()).as("waits: %s", waits).isGreaterThanOrEqualTo(count / LIMIT - 1);
        for (JsonNode wait : waits) {
            assertThat(wait.get("global").asBoolean()).isFalse();
            assertThat(wait.get("limit").asInt()).isEqualTo(LIMIT);
            // at most the window, plus the 50 ms offset the client adds once to the reset and once to the wait
            assertThat(wait.get("timeToReset").asLong()).isBetween(1L, WINDOW_MILLIS + 100);
        }
        long elapsed = seen.get("elapsedMillis").asLong();
        assertThat(elapsed).as("wall time of %d requests at %d per %d ms", count, LIMIT, WINDOW_MILLIS)
                .isGreaterThanOrEqualTo((count / LIMIT - 1) * WINDOW_MILLIS * 8 / 10)
                .isLessThan(30_000);
    }

    /**
     * The same requests at once, without waiting for the headers: the limit is real. A token bucket of LIMIT per
     * WINDOW admits LIMIT at once plus one more per WINDOW/LIMIT the burst lasts; the refusals are 429s saying when
     * to come back, and since each 429 scores (10, 25, 45, 70, 100 with the defaults) the fifth blocks the user:
     * every request after it is a 403. Only the admitted requests reach Discord.
     */
    @Test
    void theLimitIsRealForAClientThatIgnoresTheHeaders() {
        int count = 3 * LIMIT;
        String user = "impatient";
        long began = System.nanoTime();
        List<ResponseEntity<Void>> answers = Flux.range(0, count)
                .flatMap(i -> gateway.webClient().post().uri(PATH).header("X-User-Id", user)
                        .exchangeToMono(response -> response.toBodilessEntity()))
                .collectList().block(Duration.ofSeconds(30));
        long tookMillis = (System.nanoTime() - began) / 1_000_000;

        long admitted = answers.stream().filter(a -> a.getStatusCode().value() == 200).count();
        long refills = tookMillis * LIMIT / WINDOW_MILLIS;
        assertThat(admitted).as("admitted of %d sent at once in %d ms", count, tookMillis)
                .isBetween((long) LIMIT, LIMIT + refills);
        List<ResponseEntity<Void>> limited = answers.stream().filter(a -> a.getStatusCode().value() == 429).toList();
        long refused = count - admitted;
        assertThat(limited).as("429s until the fifth violation blocks").hasSize((int) Math.min(5, refused));
        assertThat(answers).filteredOn(a -> a.getStatusCode().value() == 403).as("403s once blocked")
                .hasSize((int) (refused - limited.size()));
        for (ResponseEntity<Void> answer : limited) {
            // the next token comes within WINDOW/LIMIT (667 ms): Retry-After rounds it up to one second
            assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(answer.getHeaders().getFirst("X-RateLimit-Limit")).isEqualTo(Integer.toString(LIMIT));
            assertThat(answer.getHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("0");
        }
        discord.verify((int) admitted, postRequestedFor(urlEqualTo(PATH)).withHeader("X-User-Id", equalTo(user)));
    }
}
