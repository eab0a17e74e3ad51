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
import reactor.netty.channel.ChannelOperations;

/**
 * The deadlines of a request on an HTTP/1.1 connection: its head must arrive whole within one limit, counted from
 * the connection's opening or from the first byte after the previous request was read; its body within another,
 * counted from the end of the head.
 *
 * <p>Reactor Netty's own limits do not serve. Its idle limit is reset by every byte, so a client sending its head
 * a byte at a time escapes it. Its request timeout is cancelled only when the request's last content reaches the
 * server's state of that request, which never happens once the request was answered before it was read whole (a
 * blocked user's 403, a 400): that state then stays reachable from the timer until it fires, and a client that
 * hammers such answers fills the heap. These deadlines are kept per connection, so the end of a request's body
 * always cancels its timer.
 *
 * <p>A head that never completed is not answered, as nginx and HAProxy treat it: the connection is closed. A body
 * late past its limit fails the request being served with {@link RequestBodyTimeoutException} (answered by
 * {@link TimedOutRequests}) and closes the connection. Two handlers share the deadlines: one ahead of the HTTP codec
 * sees bytes arrive, one behind it sees each request's head and end. Both run on the channel's event loop, so the
 * state needs no locking.
 */
final class RequestDeadlines {

    static final String BYTES = "abuseguard.requestHeadBytes";
    static final String REQUESTS = "abuseguard.requestHeadDecoded";

    private final Channel channel;
    private final long headMillis;
    private final long bodyMillis;
    private ScheduledFuture<?> timer;
    private boolean readingRequest;
    private ChannelHandlerContext afterCodec;

    private RequestDeadlines(Channel channel, Duration head, Duration body) {
        this.channel = channel;
        this.headMillis = head.toMillis();
        this.bodyMillis = body.toMillis();
    }

    /** Adds the deadlines around {@code codecName}, the pipeline's HTTP/1.1 codec. */
    static void install(ChannelPipeline pipeline, String codecName, Duration head, Duration body) {
        RequestDeadlines deadlines = new RequestDeadlines(pipeline.channel(), head, body);
        pipeline.addBefore(codecName, BYTES, deadlines.new BytesArriving());
        pipeline.addAfter(codecName, REQUESTS, deadlines.new RequestsDecoded());
    }

    private void armHead() {
        if (timer == null && !readingRequest) {
            timer = channel.eventLoop().schedule(this::headLate, headMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void armBody() {
        disarm();
        timer = channel.eventLoop().schedule(this::bodyLate, bodyMillis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void headLate() {
        timer = null;
        channel.close();
    }

    private void bodyLate() {
        timer = null;
        ChannelOperations<?, ?> serving = ChannelOperations.get(channel);
        if (serving != null && !serving.isInboundCancelled() && !serving.isInboundDisposed() && afterCodec != null) {
            afterCodec.fireExceptionCaught(RequestBodyTimeoutException.INSTANCE);
        }
        channel.close();
    }

    private final class BytesArriving extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            armHead();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            armHead();
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
        public void handlerAdded(ChannelHandlerContext ctx) {
            afterCodec = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                readingRequest = true;
                armBody();
            }
            if (msg instanceof LastHttpContent) {
                readingRequest = false;
                disarm();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
