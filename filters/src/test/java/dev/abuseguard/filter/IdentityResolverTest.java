package dev.abuseguard.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.policy.TrustedProxies;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * Who is asking, read from the identity header: the one place a request names the state it spends, so every way a
 * client could name someone else's state, or a key outside its hash tag, must be a 400 here.
 */
class IdentityResolverTest {

    /** The shipped default pattern (abuse-guard.identity.pattern). */
    private static final String DEFAULT_PATTERN = "^[A-Za-z0-9_.@:-]{1,128}$";
    /** A pattern an operator might loosen to "anything": the never-allowed characters must still be refused. */
    private static final String ANYTHING = ".*";

    private final IdentityResolver resolver = new IdentityResolver("X-User-Id", DEFAULT_PATTERN);

    private static MockServerHttpRequest.BaseBuilder<?> from(String address) {
        return MockServerHttpRequest.get("/packs/open").remoteAddress(new InetSocketAddress(address, 40000));
    }

    @Test
    void aValidIdSentOnceIsTheIdentity() {
        assertThat(resolver.resolve(from("192.0.2.7").header("X-User-Id", "alice@example.com").build(),
                IdentityFallback.NONE)).isEqualTo("alice@example.com");
        assertThat(resolver.resolve(from("192.0.2.7").header("X-User-Id", "1234567890").build(),
                IdentityFallback.CLIENT_IP)).as("an id wins over the client address").isEqualTo("1234567890");
    }

    @Test
    void theHeaderNameIsMatchedWithoutRegardToCase() {
        assertThat(resolver.resolve(from("192.0.2.7").header("x-user-id", "bob").build(), IdentityFallback.NONE))
                .isEqualTo("bob");
    }

    @Test
    void noHeaderOrAnEmptyOneIsRequiredWithoutAFallback() {
        for (MockServerHttpRequest request : List.of(from("192.0.2.7").build(),
                from("192.0.2.7").header("X-User-Id", "").build())) {
            assertThatThrownBy(() -> resolver.resolve(request, IdentityFallback.NONE))
                    .isInstanceOfSatisfying(BadInput.class, bad -> assertThat(bad.field()).isEqualTo("X-User-Id"))
                    .hasMessage("The X-User-Id header is required.");
        }
    }

    @Test
    void noHeaderOrAnEmptyOneFallsBackToTheClientAddressWhereTheRouteSaysSo() {
        assertThat(resolver.resolve(from("192.0.2.7").build(), IdentityFallback.CLIENT_IP)).isEqualTo("~ip:192.0.2.7");
        assertThat(resolver.resolve(from("192.0.2.7").header("X-User-Id", "").build(), IdentityFallback.CLIENT_IP))
                .isEqualTo("~ip:192.0.2.7");
    }

    @Test
    void theFallbackBelievesXForwardedForOnlyFromTheTrustedProxiesItWasGiven() {
        IdentityResolver behindProxy = new IdentityResolver("X-User-Id", DEFAULT_PATTERN,
                TrustedProxies.parse(List.of("10.0.0.0/8")));
        assertThat(behindProxy.resolve(from("10.1.2.3").header("X-Forwarded-For", "198.51.100.9").build(),
                IdentityFallback.CLIENT_IP)).isEqualTo("~ip:198.51.100.9");
        assertThat(resolver.resolve(from("10.1.2.3").header("X-Forwarded-For", "198.51.100.9").build(),
                IdentityFallback.CLIENT_IP)).as("no trusted proxies: the peer").isEqualTo("~ip:10.1.2.3");
    }

    /** A second value makes a duplicate even when the first is empty: "no id" must not be read from half of it. */
    @ParameterizedTest
    @ValueSource(strings = {"bob", ""})
    void anIdSentTwiceIsRefusedWhateverTheFirstValue(String first) {
        MockServerHttpRequest twice = from("192.0.2.7").header("X-User-Id", first, "alice").build();
        for (IdentityFallback fallback : IdentityFallback.values()) {
            assertThatThrownBy(() -> resolver.resolve(twice, fallback))
                    .isInstanceOfSatisfying(BadInput.class, bad -> assertThat(bad.field()).isEqualTo("X-User-Id"))
                    .hasMessage("The X-User-Id header must be sent once.");
        }
    }

    @Test
    void anIdOf128CharactersPassesAndOneOf129IsRefusedEvenByAPatternWithoutABound() {
        IdentityResolver lax = new IdentityResolver("X-User-Id", ANYTHING);
        String longest = "a".repeat(128);
        assertThat(lax.resolve(from("192.0.2.7").header("X-User-Id", longest).build(), IdentityFallback.NONE))
                .isEqualTo(longest);
        assertThatThrownBy(() -> lax.resolve(from("192.0.2.7").header("X-User-Id", longest + "a").build(),
                IdentityFallback.NONE))
                .isInstanceOf(BadInput.class)
                .hasMessage("The X-User-Id header must match .* (at most 128 characters; no braces, '~', spaces or "
                        + "control characters).");
    }

    @Test
    void anIdTheConfiguredPatternRefusesIsBadInputNamingThePattern() {
        IdentityResolver digits = new IdentityResolver("X-Player", "[0-9]{4,20}");
        assertThat(digits.resolve(from("192.0.2.7").header("X-Player", "12345").build(), IdentityFallback.NONE))
                .isEqualTo("12345");
        for (String bad : List.of("123", "12a45", "player-1")) {
            assertThatThrownBy(() -> digits.resolve(from("192.0.2.7").header("X-Player", bad).build(),
                    IdentityFallback.NONE))
                    .isInstanceOfSatisfying(BadInput.class, input -> assertThat(input.field()).isEqualTo("X-Player"))
                    .hasMessageStartingWith("The X-Player header must match [0-9]{4,20} ");
        }
    }

    /**
     * Whatever the pattern allows: braces would move the key out of its Redis hash tag ({@code ag:{u:<id>}}),
     * {@code ~} would name an anonymous client's or a keyed route's state, white space and control characters would
     * forge log lines.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a}b", "{u:victim}", "x{", "~ip:192.0.2.7", "~k:login:alice", "a b", "a\tb", "a\nb",
            "a\rb", "a\u0000b", "a\u007fb", "a\u000bb", "a\u001bb"})
    void neverAllowedCharactersAreRefusedEvenWhenThePatternAllowsAnything(String id) {
        IdentityResolver lax = new IdentityResolver("X-User-Id", ANYTHING);
        assertThat(IdentityResolver.isValid(id, Pattern.compile(ANYTHING))).isFalse();
        assertThatThrownBy(() -> lax.resolve(from("192.0.2.7").header("X-User-Id", id).build(), IdentityFallback.NONE))
                .isInstanceOf(BadInput.class);
        assertThatThrownBy(() -> lax.resolve(from("192.0.2.7").header("X-User-Id", id).build(),
                IdentityFallback.CLIENT_IP))
                .as("a bad id is refused, not replaced by the client address").isInstanceOf(BadInput.class);
    }

    @Test
    void isValidIsTheOneCheckTheAdminApiSharesWithRequests() {
        Pattern pattern = Pattern.compile(DEFAULT_PATTERN);
        assertThat(IdentityResolver.isValid("alice@example.com", pattern)).isTrue();
        assertThat(IdentityResolver.isValid("a".repeat(128), pattern)).isTrue();
        assertThat(IdentityResolver.isValid("a".repeat(129), Pattern.compile(ANYTHING))).isFalse();
        assertThat(IdentityResolver.isValid("", pattern)).as("the pattern asks for one character").isFalse();
        assertThat(IdentityResolver.isValid("semi;colon", pattern)).isFalse();
    }

    @Test
    void aKeyedIdIsTheRoutesMarkAnActionNameAndAValidValue() {
        Pattern pattern = Pattern.compile(DEFAULT_PATTERN);
        assertThat(IdentityResolver.isKeyed("~k:login:alice@example.com", pattern)).isTrue();
        assertThat(IdentityResolver.isKeyed("~k:failed_login:42", pattern)).isTrue();
        assertThat(IdentityResolver.isKeyed("~k:" + "a".repeat(64) + ":v", pattern)).isTrue();

        assertThat(IdentityResolver.isKeyed("~k:" + "a".repeat(65) + ":v", pattern)).as("action over 64").isFalse();
        assertThat(IdentityResolver.isKeyed("~k:Login:alice", pattern)).as("upper case action").isFalse();
        assertThat(IdentityResolver.isKeyed("~k::alice", pattern)).as("no action").isFalse();
        assertThat(IdentityResolver.isKeyed("~k:login:", pattern)).as("no value").isFalse();
        assertThat(IdentityResolver.isKeyed("~k:login:{u:x}", pattern)).as("a value out of its hash tag").isFalse();
        assertThat(IdentityResolver.isKeyed("~k:login:a b", pattern)).isFalse();
        assertThat(IdentityResolver.isKeyed("~k:login:" + "a".repeat(129), Pattern.compile(ANYTHING))).isFalse();
        assertThat(IdentityResolver.isKeyed("~ip:192.0.2.7", pattern)).as("an anonymous client").isFalse();
        assertThat(IdentityResolver.isKeyed("alice", pattern)).isFalse();
        // the value is checked as an id is: a keyed id never nests another one
        assertThat(IdentityResolver.isKeyed("~k:login:~k:login:alice", Pattern.compile(ANYTHING))).isFalse();
        assertThat(IdentityResolver.isValid("~k:login:alice", Pattern.compile(ANYTHING)))
                .as("a client cannot send a keyed id as its own").isFalse();
    }
}
