package dev.abuseguard.filter;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request body read whole up to a bound, so that a key can be taken from it (or its signature checked), and
 * then forwarded byte for byte as it came (its length stated rather than chunked), every header with it. A declared
 * length over the bound is refused before anything is read.
 */
public final class BufferedBody {

    /** A body over the bound: 413. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(long maxBytes) {
            super("A request body is at most " + maxBytes + " bytes here.", null, false, false);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private BufferedBody() {
    }

    public static Mono<byte[]> read(ServerHttpRequest request, int maxBytes) {
        if (request.getHeaders().getContentLength() > maxBytes) {
            return Mono.error(new TooLarge(maxBytes));
        }
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(BufferedBody::bytes)
                .onErrorMap(DataBufferLimitException.class, tooMuch -> new TooLarge(maxBytes))
                .defaultIfEmpty(EMPTY);
    }

    /** The request as forwarded: the bytes read, every header it came with. */
    public static ServerHttpRequest replayed(ServerHttpRequest request, byte[] body, DataBufferFactory buffers) {
        HttpHeaders headers = HttpHeaders.copyOf(request.getHeaders());
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentLength(body.length);
        return new ServerHttpRequestDecorator(request) {
            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(buffers.wrap(body)));
            }
        };
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
