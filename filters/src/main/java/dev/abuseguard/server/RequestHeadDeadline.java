package dev.abuseguard.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request head has not arrived whole within the limit, counted from the connection's
 * opening or from the first byte after the previous request was read. Reactor Netty's own limits start once a
 * head is decoded (body) or are reset by every byte (idle), so a client sending its head a byte at a time
 * escapes both. Nothing is answered: a head that never completed has no request to answer, as nginx and HAProxy
 * treat it.
 *
 * <p>Two handlers share the deadline: one ahead of the HTTP codec sees bytes arrive, one behind it sees the head
 * and the end of each request decoded. Both run on the channel's event loop, so the state needs no locking.
 */
final class RequestHeadDeadline {

    static final String BYTES = "abuseguard.requestHeadBytes";
    static final String REQUESTS = "abuseguard.requestHeadDecoded";

    private final Channel channel;
    private final long limitMillis;
    private ScheduledFuture<?> timer;
    private boolean readingRequest;

    private RequestHeadDeadline(Channel channel, Duration limit) {
        this.channel = channel;
        this.limitMillis = limit.toMillis();
    }

    /** Adds the deadline around {@code codecName}, the pipeline's HTTP/1.1 codec. */
    static void install(ChannelPipeline pipeline, String codecName, Duration limit) {
        RequestHeadDeadline deadline = new RequestHeadDeadline(pipeline.channel(), limit);
        pipeline.addBefore(codecName, BYTES, deadline.new BytesArriving());
        pipeline.addAfter(codecName, REQUESTS, deadline.new RequestsDecoded());
    }

    private void arm() {
        if (timer == null && !readingRequest) {
            timer = channel.eventLoop().schedule(this::expire, limitMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        channel.close();
    }

    private final class BytesArriving extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            arm();
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }
    }

    private final class RequestsDecoded extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                readingRequest = true;
                disarm();
            }
            if (msg instanceof LastHttpContent) {
                readingRequest = false;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
