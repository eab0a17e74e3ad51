package dev.abuseguard.filter;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import java.net.URI;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Requests and responses whose headers are Netty's, wrapped the way Reactor Netty's server wraps them
 * ({@link Netty4HeadersAdapter}), so header reads and writes cost what they cost in the gateway; no
 * socket behind them. (spring-test's MockServerHttpRequest keeps headers in a LinkedCaseInsensitiveMap.)
 * Public for the benchmarks of other filter packages.
 */
public final class BenchExchanges {

    private static final ServerCodecConfigurer CODECS = ServerCodecConfigurer.create();
    private static final DefaultWebSessionManager SESSIONS = new DefaultWebSessionManager();
    private static final AcceptHeaderLocaleContextResolver LOCALES = new AcceptHeaderLocaleContextResolver();

    private BenchExchanges() {
    }

    static NettyRequest get(String path, String userHeader, String userId) {
        io.netty.handler.codec.http.HttpHeaders netty = commonHeaders();
        netty.add("Accept", "*/*");
        if (userId != null) {
            netty.add(userHeader, userId);
        }
        return new NettyRequest(HttpMethod.GET, URI.create("http://127.0.0.1:8080" + path),
                new HttpHeaders(new Netty4HeadersAdapter(netty)), null);
    }

    /** A POST of {@code body} (served afresh to every reader, as a server reads its socket) with these headers. */
    public static NettyRequest post(String path, Map<String, String> headers, byte[] body) {
        io.netty.handler.codec.http.HttpHeaders netty = commonHeaders();
        netty.add("Content-Type", "application/json");
        netty.add("Content-Length", Integer.toString(body.length));
        headers.forEach(netty::add);
        return new NettyRequest(HttpMethod.POST, URI.create("http://127.0.0.1:8080" + path),
                new HttpHeaders(new Netty4HeadersAdapter(netty)), body);
    }

    private static io.netty.handler.codec.http.HttpHeaders commonHeaders() {
        io.netty.handler.codec.http.HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        netty.add("Host", "127.0.0.1:8080");
        netty.add("User-Agent", "discord-bot/1.0");
        return netty;
    }

    public static ServerWebExchange exchange(NettyRequest request) {
        return new DefaultServerWebExchange(request, new NettyResponse(), SESSIONS, CODECS, LOCALES);
    }

    static HttpHeaders nettyHeaders() {
        return new HttpHeaders(new Netty4HeadersAdapter(DefaultHttpHeadersFactory.headersFactory().newHeaders()));
    }

    public static final class NettyRequest extends AbstractServerHttpRequest {

        private final byte[] body;

        NettyRequest(HttpMethod method, URI uri, HttpHeaders headers, byte[] body) {
            super(method, uri, "", headers);
            this.body = body;
        }

        @Override
        protected MultiValueMap<String, HttpCookie> initCookies() {
            return new LinkedMultiValueMap<>();
        }

        @Override
        protected SslInfo initSslInfo() {
            return null;
        }

        @Override
        public <T> T getNativeRequest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return body == null ? Flux.empty()
                    : Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        }
    }

    /** Writes go nowhere (buffers are released); status and headers are applied as a server would. */
    static final class NettyResponse extends AbstractServerHttpResponse {

        NettyResponse() {
            super(DefaultDataBufferFactory.sharedInstance, nettyHeaders());
        }

        @Override
        public <T> T getNativeResponse() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
            return Flux.from(body).doOnNext(DataBufferUtils::release).then();
        }

        @Override
        protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return Flux.from(body).flatMap(this::writeWithInternal).then();
        }

        @Override
        protected void applyStatusCode() {
        }

        @Override
        protected void applyHeaders() {
        }

        @Override
        protected void applyCookies() {
        }
    }
}
