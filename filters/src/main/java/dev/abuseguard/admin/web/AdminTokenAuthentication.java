package dev.abuseguard.admin.web;

import dev.abuseguard.policy.AbuseGuardProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The admin bearer token: {@code Authorization: Bearer <token>} against {@code abuse-guard.admin.token},
 * compared in constant time. Without a configured token nothing is accepted.
 */
public final class AdminTokenAuthentication implements ReactiveAuthenticationManager, ServerAuthenticationConverter {

    private static final String BEARER = "Bearer ";

    private final byte[] expectedDigest;
    private final String label;

    public AdminTokenAuthentication(AbuseGuardProperties.Admin admin) {
        this.expectedDigest = admin.token().isEmpty() ? null : sha256(admin.token());
        this.label = admin.label();
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Mono.empty();
        }
        return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated("bearer", header.substring(BEARER.length())
                .trim()));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication presented) {
        // digests of equal length, compared in constant time: neither the token nor its length leaks
        boolean valid = expectedDigest != null
                && MessageDigest.isEqual(expectedDigest, sha256(String.valueOf(presented.getCredentials())));
        if (!valid) {
            return Mono.error(new BadCredentialsException("invalid admin token"));
        }
        return Mono.just(UsernamePasswordAuthenticationToken.authenticated(label, null,
                List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
