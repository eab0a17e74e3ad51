package dev.abuseguard.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.GatewayExtension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parser;
import org.greenbytes.http.sfv.StringItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client paces itself by, through the running gateway: the IETF {@code RateLimit-Policy} and
 * {@code RateLimit} fields read with an RFC 9651 Structured Fields parser (never compared as strings), and
 * how they agree with the {@code X-RateLimit-*} headers; Discord's {@code X-RateLimit-Reset}, {@code -Bucket},
 * {@code -Scope} and the members of its 429 body; and {@code abuse-guard.headers.ietf: false}.
 */
class RateLimitHeadersEndToEndTest {

    private static final JsonMapper JSON = new JsonMapper();
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.onTestRoutes();
    /** The same routes, backend and Redis with the IETF fields switched off. */
    private static GatewayApp withoutIetf;

    @BeforeAll
    static void startWithoutIetf() {
        withoutIetf = gateway.startAnother("--abuse-guard.headers.ietf=false");
    }

    @BeforeEach
    void reset() {
        gateway.redis().flushAll();
    }

    private static EntityExchangeResult<byte[]> send(GatewayApp on, String path, String user, String action) {
        WebTestClient.RequestHeadersSpec<?> request = on.client().post().uri(path).header("X-User-Id", user);
        if (action != null) {
            request = request.header("X-Action", action);
        }
        return request.exchange().expectBody().returnResult();
    }

    /** One field line, parsed as an sf-list of exactly one item: a string with parameters. */
    private static Item<?> onlyItem(HttpHeaders headers, String name) {
        assertThat(headers.get(name)).as(name).hasSize(1);
        OuterList list = Parser.parseList(headers.getFirst(name));
        List<ListElement<?>> members = list.get();
        assertThat(members).as(name).hasSize(1);
        assertThat(members.get(0)).as(name).isInstanceOf(StringItem.class);
        return (Item<?>) members.get(0);
    }

    private static long integer(Item<?> item, String parameter) {
        Item<?> value = item.getParams().get(parameter);
        assertThat(value).as("parameter %s of %s", parameter, item.serialize()).isInstanceOf(IntegerItem.class);
        return ((IntegerItem) value).getAsLong();
    }

    /** The IETF fields say what the X-RateLimit-* headers say: limit, remaining, seconds to reset (rounded up). */
    private static void agree(HttpHeaders headers, String action, long windowSeconds) {
        Item<?> policy = onlyItem(headers, "RateLimit-Policy");
        Item<?> limit = onlyItem(headers, "RateLimit");
        assertThat(policy.get()).isEqualTo(action);
        assertThat(limit.get()).isEqualTo(action);
        assertThat(policy.getParams().keySet()).containsExactly("q", "w");
        assertThat(limit.getParams().keySet()).containsExactly("r", "t");
        assertThat(integer(policy, "q")).isEqualTo(Long.parseLong(headers.getFirst("X-RateLimit-Limit")));
        assertThat(integer(policy, "w")).isEqualTo(windowSeconds);
        assertThat(integer(limit, "r")).isEqualTo(Long.parseLong(headers.getFirst("X-RateLimit-Remaining")));
        BigDecimal resetAfter = new BigDecimal(headers.getFirst("X-RateLimit-Reset-After"));
        assertThat(integer(limit, "t")).isEqualTo(resetAfter.setScale(0, RoundingMode.CEILING).longValue());
        // what the parser reads back serializes to the very field: the canonical form
        assertThat(policy.serialize()).isEqualTo(headers.getFirst("RateLimit-Policy"));
        assertThat(limit.serialize()).isEqualTo(headers.getFirst("RateLimit"));
    }

    @Test
    void allowedAnswersCarryIetfFieldsThatAgreeWithTheXRateLimitHeaders() {
        for (int i = 0; i < 5; i++) {
            EntityExchangeResult<byte[]> answer = send(gateway.app(), "/packs/open", "pacer", null);
            assertThat(answer.getStatus().value()).isEqualTo(200);
            HttpHeaders headers = answer.getResponseHeaders();
            agree(headers, "pack_create", 3600);
            assertThat(integer(onlyItem(headers, "RateLimit"), "r")).isEqualTo(4 - i);
            assertThat(headers.get("X-RateLimit-Scope")).as("only on a 429").isNull();
            if (i == 0) {
                System.out.println("FIGURES headers of an allowed answer: " + headers);
            }
        }
        EntityExchangeResult<byte[]> purchase = send(gateway.app(), "/packs/open", "pacer", "pack_purchase");
        agree(purchase.getResponseHeaders(), "pack_purchase", 86_400);
    }

    @Test
    void a429CarriesTheFieldsTooWithScopeUserAndDiscordsMembersInItsBody() {
        assertThat(send(gateway.app(), "/tiny", "greedy", null).getStatus().value()).isEqualTo(200);
        EntityExchangeResult<byte[]> limited = send(gateway.app(), "/tiny", "greedy", null);
        assertThat(limited.getStatus().value()).isEqualTo(429);
        HttpHeaders headers = limited.getResponseHeaders();
        System.out.println("FIGURES headers of a 429: " + headers);
        System.out.println("FIGURES body of a 429: " + new String(limited.getResponseBody()));
        agree(headers, "tiny", 3600);
        assertThat(integer(onlyItem(headers, "RateLimit"), "r")).isZero();
        assertThat(headers.getFirst("X-RateLimit-Scope")).isEqualTo("user");
        assertThat(headers.get("X-RateLimit-Scope")).hasSize(1);

        JsonNode body = JSON.readTree(limited.getResponseBody());
        assertThat(body.get("message").asString()).isEqualTo("You are being rate limited.");
        assertThat(body.get("global").isBoolean()).isTrue();
        assertThat(body.get("global").asBoolean()).isFalse();
        assertThat(body.get("retry_after").isFloatingPointNumber()).as("seconds with decimals: %s", body).isTrue();
        double retryAfter = body.get("retry_after").asDouble();
        long retryAfterHeader = Long.parseLong(headers.getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isPositive().isLessThanOrEqualTo(retryAfterHeader).isGreaterThan(retryAfterHeader - 1);
        assertThat(body.get("retryAfterSeconds").asLong()).isEqualTo(retryAfterHeader); // ours stay beside them
        assertThat(body.get("type").asString()).isEqualTo("urn:abuse-guard:problem:rate-limited");
    }

    @Test
    void xRateLimitResetIsEpochSecondsWithMillisecondsNearNowPlusResetAfter() {
        for (String path : List.of("/packs/open", "/tiny", "/tiny")) { // allowed, allowed, 429
            long before = System.currentTimeMillis();
            HttpHeaders headers = send(gateway.app(), path, "clock-reader", null).getResponseHeaders();
            long after = System.currentTimeMillis();
            String reset = headers.getFirst("X-RateLimit-Reset");
            assertThat(reset).matches("\\d{10}\\.\\d{3}");
            double resetAfter = Double.parseDouble(headers.getFirst("X-RateLimit-Reset-After"));
            assertThat(Double.parseDouble(reset)).isBetween(before / 1000.0 + resetAfter - 0.05,
                    after / 1000.0 + resetAfter + 0.05);
        }
    }

    @Test
    void theBucketIsStablePerRouteAndActionDifferentAcrossThemAndTellsNothingOfTheUser() {
        String alice = send(gateway.app(), "/packs/open", "alice-1234567", null).getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");
        String bob = send(gateway.app(), "/packs/other", "bob-7654321", null).getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");
        String aliceAgain = send(gateway.app(), "/packs/open", "alice-1234567", null).getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");
        String purchase = send(gateway.app(), "/packs/open", "alice-1234567", "pack_purchase").getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");
        String tiny = send(gateway.app(), "/tiny", "alice-1234567", null).getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");
        String tinyLimited = send(gateway.app(), "/tiny", "alice-1234567", null).getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");
        String otherInstance = send(withoutIetf, "/packs/open", "carol", null).getResponseHeaders()
                .getFirst("X-RateLimit-Bucket");

        assertThat(alice).matches("[0-9a-f]{32}").isEqualTo(aliceAgain).isEqualTo(bob).isEqualTo(otherInstance);
        assertThat(purchase).matches("[0-9a-f]{32}").isNotEqualTo(alice);
        assertThat(tiny).isEqualTo(tinyLimited).isNotEqualTo(alice).isNotEqualTo(purchase);
        for (String bucket : List.of(alice, purchase, tiny)) {
            assertThat(bucket).doesNotContain("alice", "1234567", "pack", "tiny");
        }
    }

    @Test
    void withIetfOffTheFieldsAreGoneAndEveryOtherHeaderStays() {
        HttpHeaders allowed = send(withoutIetf, "/tiny", "quiet", null).getResponseHeaders();
        HttpHeaders limited = send(withoutIetf, "/tiny", "quiet", null).getResponseHeaders();
        for (HttpHeaders headers : List.of(allowed, limited)) {
            assertThat(headers.get("RateLimit-Policy")).isNull();
            assertThat(headers.get("RateLimit")).isNull();
            assertThat(headers.getFirst("X-RateLimit-Limit")).isEqualTo("1");
            assertThat(headers.getFirst("X-RateLimit-Reset")).matches("\\d{10}\\.\\d{3}");
            assertThat(headers.getFirst("X-RateLimit-Bucket")).matches("[0-9a-f]{32}");
        }
        assertThat(limited.getFirst("X-RateLimit-Scope")).isEqualTo("user");
        // and on by default: the same requests on the other instance carry them
        assertThat(send(gateway.app(), "/tiny", "loud", null).getResponseHeaders().get("RateLimit")).hasSize(1);
    }

    /**
     * A client that sends the fields itself (in the hope a backend or a proxy trusts them) changes nothing of
     * what it is told, and a client guessing another user's bucket learns nothing: the headers a user reads
     * depend on the route and the action alone.
     */
    @Test
    void fieldsSentByTheClientChangeNothingOfWhatItIsTold() {
        EntityExchangeResult<byte[]> answer = gateway.client().post().uri("/packs/open").header("X-User-Id", "forger")
                .header("RateLimit", "\"pack_create\";r=1000;t=0").header("RateLimit-Policy", "\"pack_create\";q=1000")
                .header("X-RateLimit-Remaining", "1000").exchange().expectBody().returnResult();
        HttpHeaders headers = answer.getResponseHeaders();
        agree(headers, "pack_create", 3600);
        assertThat(integer(onlyItem(headers, "RateLimit-Policy"), "q")).isEqualTo(5);
        assertThat(integer(onlyItem(headers, "RateLimit"), "r")).isEqualTo(4);
        assertThat(headers.get("X-RateLimit-Remaining")).containsExactly("4");
        assertThat(Double.parseDouble(headers.getFirst("X-RateLimit-Reset-After"))).isCloseTo(720.0, within(1.0));
    }
}
