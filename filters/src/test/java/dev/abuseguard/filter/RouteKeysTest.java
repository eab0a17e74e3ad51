package dev.abuseguard.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.policy.LivePolicies;
import dev.abuseguard.policy.TrustedProxies;
import dev.abuseguard.testsupport.TestPolicies;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import tools.jackson.databind.json.JsonMapper;

/** A route's keys as written in routes.yml, and the identities they read from requests. */
class RouteKeysTest {

    private static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9_.@:-]{1,128}$");

    @Test
    void eachSourceReadsItsKeyAndValuesGetANamespaceOfTheirOwn() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/auth/login").header("X-User-Id", "u1")
                .header("X-Account", "Carol").remoteAddress(new InetSocketAddress("192.0.2.7", 4000)).build();
        var body = new JsonMapper().readTree("{\"user\":{\"name\":\"Alice@Example.com\"},\"n\":42}");
        assertThat(source("header").key(request, body, "a")).isEqualTo("u1");
        assertThat(source("client-ip").key(request, body, "a")).isEqualTo("~ip:192.0.2.7");
        assertThat(source("header:X-Account").key(request, body, "a")).isEqualTo("~k:a:Carol");
        assertThat(source("json:/user/name").key(request, body, "login")).isEqualTo("~k:login:alice@example.com");
        assertThat(source("json:/n").key(request, body, "a")).isEqualTo("~k:a:42");
        assertThat(IdentityResolver.isKeyed("~k:login:alice@example.com", PATTERN)).isTrue();
        assertThat(IdentityResolver.isKeyed("~k:login:{u:x}", PATTERN)).isFalse();
    }

    @Test
    void valuesThatCouldBreakOutOfTheirKeyAreBadInput() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/").header("X-Account", "a}b").build();
        var body = new JsonMapper().readTree("{\"name\":\"x y\",\"obj\":{}}");
        for (KeySource bad : List.of(source("header:X-Account"), source("json:/name"), source("json:/obj"),
                source("json:/missing"), source("header:X-None"))) {
            assertThatThrownBy(() -> bad.key(request, body, "a")).isInstanceOf(BadInput.class);
        }
    }

    @Test
    void aRouteNamingAnUnknownSourceOrActionIsRefusedNamingTheArgument() {
        LivePolicies.Snapshot policies = TestPolicies.of(Map.of("actions.tiny.limit", "1", "actions.tiny.window", "1h"))
                .current();
        var properties = policies.settings();
        var actions = policies.actions();
        assertThatThrownBy(() -> RouteKeys.of(List.of("cookie:sid=tiny"), properties, actions))
                .hasMessageContaining("args.keys").hasMessageContaining("cookie:sid");
        assertThatThrownBy(() -> RouteKeys.of(List.of("client-ip=nope"), properties, actions))
                .hasMessageContaining("args.keys names action 'nope'");
        assertThatThrownBy(() -> RouteKeys.of(List.of("client-ip"), properties, actions))
                .hasMessageContaining("source=action");
    }

    private static KeySource source(String text) {
        return KeySource.parse(text, "X-User-Id", PATTERN, TrustedProxies.none());
    }
}
