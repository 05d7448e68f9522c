package dev.parley.sipstack.transport;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sipstack.flow.Flow;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a TCP/TLS connection: delivers what {@link StreamSipDecoder} found to the stack with the
 * connection's flow, answers pings and malformed requests, closes the connection when framing is lost, and closes
 * it when idle: after {@code unauthenticatedIdle} without a complete message until the flow is authenticated, then
 * after {@code authenticatedIdle} without any traffic (never when zero).
 */
final class StreamSipHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSipHandler.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private final ConnectionFlow flow;
    private final SipTransports.Inbound inbound;
    private final long unauthenticatedIdleNanos;
    private final long authenticatedIdleNanos;
    private final CompletableFuture<Flow> ready;
    private long lastMessage;
    private long lastTraffic;
    private ScheduledFuture<?> idleCheck;
    /** A failure was logged: the close that follows needs no second line. */
    private boolean failureLogged;

    /**
     * @param ready completed with the flow once it can carry messages: when the connection is up (TCP) or the
     *     handshake succeeded (TLS); completed exceptionally when the handshake fails
     */
    StreamSipHandler(ConnectionFlow flow, SipTransports.Inbound inbound, long unauthenticatedIdleNanos,
            long authenticatedIdleNanos, CompletableFuture<Flow> ready) {
        this.flow = flow;
        this.inbound = inbound;
        this.unauthenticatedIdleNanos = unauthenticatedIdleNanos;
        this.authenticatedIdleNanos = authenticatedIdleNanos;
        this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastMessage = System.nanoTime();
        lastTraffic = lastMessage;
        checkIdle(ctx);
        if (ctx.pipeline().get(SslHandler.class) == null) {
            ready.complete(flow);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ParseResult result)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long now = System.nanoTime();
        lastTraffic = now;
        switch (result) {
            case ParseResult.Parsed p -> {
                lastMessage = now;
                if (p.message() instanceof SipRequest request) {
                    SipRequest stamped = ViaRouting.stamp(request, flow.remoteAddress());
                    deliver(() -> inbound.onRequest(stamped, flow));
                } else {
                    SipResponse response = (SipResponse) p.message();
                    deliver(() -> inbound.onResponse(response, flow));
                }
            }
            case ParseResult.KeepAlive k -> ctx.writeAndFlush(Unpooled.wrappedBuffer(CRLF));
            case ParseResult.Malformed m -> malformed(ctx, m);
        }
    }

    private void malformed(ChannelHandlerContext ctx, ParseResult.Malformed m) {
        Optional<SipResponse> answer = m.errorResponse();
        LOG.debug("{}: malformed SIP from {}: {} ({})", flow.id(), flow.remoteAddress(), m.error(),
                answer.isPresent() ? "answering " + m.status() : "dropped");
        if (answer.isEmpty()) {
            return;
        }
        SipResponse response;
        try {
            response = ViaRouting.prepareErrorResponse(answer.get(), flow.remoteAddress());
        } catch (RuntimeException unparsableVia) {
            // the top Via itself is malformed (RFC 4475 §3.1.2.1 still expects the 400): a stream needs no address
            response = ViaRouting.prepareUnroutableErrorResponse(answer.get());
        }
        flow.send(response);
    }

    private void deliver(Runnable call) {
        try {
            call.run();
        } catch (SipSyntaxException e) {
            LOG.debug("{}: bad header from {}: {}", flow.id(), flow.remoteAddress(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: the SIP stack failed on a message from {}", flow.id(), flow.remoteAddress(), e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == StreamSipDecoder.FRAMING_LOST) {
            LOG.debug("{}: closing the connection from {}: the stream cannot be framed", flow.id(),
                    flow.remoteAddress());
            // after the error response queued before this event
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                ready.complete(flow);
            } else {
                ready.completeExceptionally(hs.cause());
                if (!failureLogged) {
                    failureLogged = true;
                    LOG.debug("{}: TLS handshake with {} failed: {}", flow.id(), flow.remoteAddress(),
                            hs.cause().toString());
                }
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        idleCheck = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean authenticated = flow.isAuthenticated();
        long timeout = authenticated ? authenticatedIdleNanos : unauthenticatedIdleNanos;
        if (timeout <= 0) {
            if (!authenticated && authenticatedIdleNanos > 0) {
                // no short timeout configured; look again later in case the flow gets authenticated
                idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), authenticatedIdleNanos,
                        TimeUnit.NANOSECONDS);
            }
            return;
        }
        long since = authenticated ? lastTraffic : lastMessage;
        long remaining = since + timeout - System.nanoTime();
        if (remaining <= 0) {
            LOG.debug("{}: closing the {} connection from {}: idle for {} ms", flow.id(),
                    authenticated ? "authenticated" : "unauthenticated", flow.remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(timeout));
            ctx.close();
            return;
        }
        idleCheck = ctx.executor().schedule(() -> checkIdle(ctx), remaining, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // resets, TLS alerts and the like: the peer's doing, not a bug; one line, no stack trace
        if (!failureLogged) {
            failureLogged = true;
            LOG.debug("{}: closing the connection with {}: {}", flow.id(), flow.remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
