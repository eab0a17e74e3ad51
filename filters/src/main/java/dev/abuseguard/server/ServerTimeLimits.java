package dev.abuseguard.server;

import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the server its time limits ({@code abuse-guard.server.*}) as deadlines of our own around the HTTP/1.1 codec
 * ({@link RequestDeadlines}, which says why not Reactor Netty's). An h2c or HTTP/2 server has no such codec, and its
 * connections keep Netty's own limits only.
 */
public final class ServerTimeLimits implements NettyServerCustomizer {

    private final Duration requestHeaderTimeout;
    private final Duration requestBodyTimeout;

    public ServerTimeLimits(Duration requestHeaderTimeout, Duration requestBodyTimeout) {
        this.requestHeaderTimeout = requestHeaderTimeout;
        this.requestBodyTimeout = requestBodyTimeout;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> installDeadlines(channel.pipeline()));
    }

    private void installDeadlines(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            RequestDeadlines.install(pipeline, NettyPipeline.HttpCodec, requestHeaderTimeout, requestBodyTimeout);
        }
    }
}
