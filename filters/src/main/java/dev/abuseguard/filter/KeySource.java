package dev.abuseguard.filter;

import dev.abuseguard.policy.TrustedProxies;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Where a route's key comes from, as a route names it:
 * <ul>
 * <li>{@code header}: the identity header (as routes without keys read it);</li>
 * <li>{@code client-ip}: the client address alone, whatever headers say (behind trusted proxies, the first
 *     untrusted hop of {@code X-Forwarded-For});</li>
 * <li>{@code header:<Name>}: another header's value, such as an account name;</li>
 * <li>{@code json:<pointer>}: a string or number in the JSON body (RFC 6901, e.g. {@code json:/username}).</li>
 * </ul>
 * A value from a named header or the body becomes the identity {@code ~k:<action>:<value>}: its own namespace,
 * apart from user ids and from other keys, so that guessing at account "alice" never scores user "alice".
 */
sealed interface KeySource {

    String JSON = "json:";
    String HEADER = "header:";

    /** Whether the key needs the request body. */
    default boolean readsBody() {
        return false;
    }

    /** The request's key; {@code body} is null unless {@link #readsBody()}. @throws BadInput naming the field */
    String key(ServerHttpRequest request, JsonNode body, String action);

    static KeySource parse(String text, String identityHeader, Pattern pattern, TrustedProxies proxies) {
        String source = text.trim();
        if (source.equals("header")) {
            return new IdentityHeader(new IdentityResolver(identityHeader, pattern.pattern(), proxies));
        }
        if (source.equals("client-ip")) {
            return new ClientAddress(proxies, identityHeader);
        }
        if (source.startsWith(HEADER) && source.length() > HEADER.length()) {
            return new NamedHeader(source.substring(HEADER.length()), pattern);
        }
        if (source.startsWith(JSON) && source.startsWith(JSON + "/")) {
            return new JsonField(JsonPointer.compile(source.substring(JSON.length())), source.substring(JSON.length()),
                    pattern);
        }
        throw new IllegalArgumentException("key source '" + text + "' is not one of header, client-ip, "
                + "header:<Name> or json:<pointer> (json:/username)");
    }

    /** The namespace of values read from a request: never a user id, never another key's. */
    static String keyed(String action, String value) {
        return AnonymousIdentity.MARK + "k:" + action + ":" + value;
    }

    record IdentityHeader(IdentityResolver resolver) implements KeySource {
        @Override
        public String key(ServerHttpRequest request, JsonNode body, String action) {
            return resolver.resolve(request, IdentityFallback.NONE);
        }
    }

    record ClientAddress(TrustedProxies proxies, String identityHeader) implements KeySource {
        @Override
        public String key(ServerHttpRequest request, JsonNode body, String action) {
            return AnonymousIdentity.of(request, proxies, identityHeader);
        }
    }

    record NamedHeader(String name, Pattern pattern) implements KeySource {
        @Override
        public String key(ServerHttpRequest request, JsonNode body, String action) {
            List<String> values = request.getHeaders().get(name);
            if (values == null || values.size() != 1 || values.get(0).isEmpty()) {
                throw new BadInput(name, "The " + name + " header is required, once.");
            }
            return keyed(action, checked(values.get(0), name, pattern));
        }
    }

    record JsonField(JsonPointer pointer, String field, Pattern pattern) implements KeySource {
        @Override
        public boolean readsBody() {
            return true;
        }

        @Override
        public String key(ServerHttpRequest request, JsonNode body, String action) {
            JsonNode value = body == null ? null : body.at(pointer);
            if (value == null || !(value.isString() || value.isIntegralNumber())) {
                throw new BadInput(field, "The JSON body needs " + field + ", a string or a whole number.");
            }
            String text = value.isString() ? value.stringValue() : value.asString();
            // account names compare as their owners type them: "Alice" and "alice" are one account's guesses
            return keyed(action, checked(text.toLowerCase(Locale.ROOT), field, pattern));
        }
    }

    private static String checked(String value, String field, Pattern pattern) {
        if (!IdentityResolver.isValid(value, pattern)) {
            throw new BadInput(field, field + " must match " + pattern.pattern()
                    + " (at most 128 characters; no braces, '~', spaces or control characters).");
        }
        return value;
    }
}
