package dev.abuseguard.discord;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;

/**
 * The request as forwarded: the exact bytes that were verified, with every header it came with (the
 * signature headers too, so the backend can verify again), its length stated rather than chunked.
 */
final class VerifiedRequest extends ServerHttpRequestDecorator {

    private final byte[] body;
    private final DataBufferFactory buffers;
    private final HttpHeaders headers;

    VerifiedRequest(ServerHttpRequest request, byte[] body, DataBufferFactory buffers) {
        super(request);
        this.body = body;
        this.buffers = buffers;
        this.headers = HttpHeaders.copyOf(request.getHeaders());
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentLength(body.length);
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public Flux<DataBuffer> getBody() {
        return Flux.defer(() -> Flux.just(buffers.wrap(body)));
    }
}
