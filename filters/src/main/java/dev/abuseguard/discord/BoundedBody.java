package dev.abuseguard.discord;

import dev.abuseguard.filter.BufferedBody;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Reads an interaction whole, up to a bound: the signature covers the raw bytes, so they are buffered once,
 * verified, and forwarded as they are ({@link BufferedBody}). Too large is Discord's kind of refusal here.
 */
final class BoundedBody {

    private final int maxBytes;

    BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @return the body's bytes, or a {@link Refusal} (413) when there are more than the bound */
    Mono<byte[]> read(ServerHttpRequest request) {
        return BufferedBody.read(request, maxBytes)
                .onErrorMap(BufferedBody.TooLarge.class, tooLarge -> Refusal.tooLarge(maxBytes));
    }
}
