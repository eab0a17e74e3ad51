package dev.abuseguard.server;

import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives the server its time limits ({@code abuse-guard.server.*}): the request head's by a deadline of our own around
 * the HTTP codec, the body's by Reactor Netty's request timeout (which closes the connection).
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
        return server.requestTimeout(requestBodyTimeout)
                .doOnChannelInit((observer, channel, remoteAddress) -> installHeadDeadline(channel.pipeline()));
    }

    private void installHeadDeadline(ChannelPipeline pipeline) {
        // HTTP/1.1 connections; an h2c or HTTP/2 server has no such codec and keeps Netty's own limits
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            RequestHeadDeadline.install(pipeline, NettyPipeline.HttpCodec, requestHeaderTimeout);
        }
    }
}
