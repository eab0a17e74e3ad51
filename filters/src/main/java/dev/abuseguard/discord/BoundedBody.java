package dev.abuseguard.discord;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Reads a request body whole, up to a bound: the signature covers the raw bytes, so they are buffered once,
 * verified, and forwarded as they are. A declared length over the bound is refused before anything is read.
 */
final class BoundedBody {

    private static final byte[] EMPTY = new byte[0];

    private final int maxBytes;

    BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @return the body's bytes, or a {@link Refusal} (413) when there are more than the bound */
    Mono<byte[]> read(ServerHttpRequest request) {
        if (request.getHeaders().getContentLength() > maxBytes) {
            return Mono.error(Refusal.tooLarge(maxBytes));
        }
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(BoundedBody::bytes)
                .onErrorMap(DataBufferLimitException.class, tooMuch -> Refusal.tooLarge(maxBytes))
                .defaultIfEmpty(EMPTY);
    }

    private static byte[] bytes(DataBuffer joined) {
        try {
            byte[] bytes = new byte[joined.readableByteCount()];
            joined.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(joined);
        }
    }
}
