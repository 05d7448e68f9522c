package dev.parley.sipstack.transport;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sipstack.flow.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP datagram is one SIP message (RFC 3261 §18.3 does not apply: no framing). Requests get their top Via
 * stamped and a flow that routes responses per RFC 3261 §18.2.2 and RFC 3581 §5; malformed requests get the
 * parser's 400/505/513 routed the same way; malformed responses, keep-alives and garbage are dropped.
 */
final class DatagramSipHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramSipHandler.class);

    private final SipParser parser;
    private final SipTransports.Inbound inbound;
    private byte[] scratch;
    /** The socket's flows, one per peer ({@link UdpFlows}); set at the first datagram. */
    private UdpFlows flows;

    DatagramSipHandler(SipParser parser, SipTransports.Inbound inbound) {
        super(true); // releases each packet after channelRead0
        this.parser = parser;
        this.inbound = inbound;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress source = packet.sender();
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        ParseResult result;
        if (content.hasArray()) {
            result = parser.parseDatagram(content.array(), content.arrayOffset() + content.readerIndex(), length);
        } else {
            // the parser copies what it keeps (strings, Body), so one scratch array serves every datagram
            if (scratch == null || scratch.length < length) {
                scratch = new byte[Math.max(length, 2048)];
            }
            content.getBytes(content.readerIndex(), scratch, 0, length);
            result = parser.parseDatagram(scratch, 0, length);
        }
        if (flows == null) {
            flows = UdpFlows.of(ctx.channel());
        }
        switch (result) {
            case ParseResult.Parsed p when p.message() instanceof SipRequest request -> {
                SipRequest stamped = ViaRouting.stamp(request, source);
                UdpFlow flow = flows.to(
                        ViaRouting.udpResponseTarget(stamped.topVia(), source, Transport.UDP.defaultPort()));
                deliver(() -> inbound.onRequest(stamped, flow), source);
            }
            case ParseResult.Parsed p -> {
                UdpFlow flow = flows.to(source);
                SipResponse response = (SipResponse) p.message();
                deliver(() -> inbound.onResponse(response, flow), source);
            }
            case ParseResult.KeepAlive k -> {
                // RFC 5626 §4.4.2 keep-alives over UDP are STUN; a CRLF datagram from a phone needs no answer
            }
            case ParseResult.Malformed m -> malformed(ctx, m, source, length);
        }
    }

    private void malformed(ChannelHandlerContext ctx, ParseResult.Malformed m, InetSocketAddress source, int length) {
        var answer = m.errorResponse();
        LOG.debug("malformed SIP datagram ({} bytes) from {}: {} ({})", length, source, m.error(),
                answer.isPresent() ? "answering " + m.status() : "dropped");
        if (answer.isEmpty()) {
            return;
        }
        SipResponse response;
        InetSocketAddress target;
        try {
            response = ViaRouting.prepareErrorResponse(answer.get(), source);
            target = ViaRouting.udpResponseTarget(response.topVia(), source, Transport.UDP.defaultPort());
        } catch (RuntimeException unparsableVia) {
            // the top Via itself is malformed, so RFC 3261 §18.2.2 has no port to use: answer the packet's source
            response = ViaRouting.prepareUnroutableErrorResponse(answer.get());
            target = source;
        }
        new UdpFlow(ctx.channel(), target).send(response);
    }

    private static void deliver(Runnable call, InetSocketAddress source) {
        try {
            call.run();
        } catch (SipSyntaxException e) {
            LOG.debug("bad header from {}: {}", source, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("the SIP stack failed on a message from {}", source, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and the like surface here on some platforms; the socket stays usable
        LOG.debug("UDP socket {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
