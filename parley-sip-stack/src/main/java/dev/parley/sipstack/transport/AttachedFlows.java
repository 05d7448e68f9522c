package dev.parley.sipstack.transport;

import dev.parley.common.SourceSlots;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sipstack.flow.AttachedTransport;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows of one transport that lives outside the stack (SIP over WebSocket in the web module): they are
 * admitted under the stack's connection caps, their messages are parsed and stamped like those of a TCP
 * connection, and they are found again by remote address for requests Parley sends.
 *
 * <p>One WebSocket message is one SIP message (RFC 7118 §5.1), so each is parsed whole like a datagram: no
 * stream framing, and {@code Content-Length} may be absent. The top Via of a request gets {@code received} (the
 * sent-by of a browser is a made-up {@code .invalid} name, RFC 7118 §5.3 with RFC 3261 §18.2.1) and {@code rport}
 * when asked for (RFC 3581); responses go back down the connection the request came on (RFC 7118 §5.3).
 */
final class AttachedFlows implements AttachedTransport {
    private static final Logger LOG = LoggerFactory.getLogger(AttachedFlows.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private final Transport transport;
    private final int port;
    private final SipParser parser;
    private final SourceSlots limiter;
    private final SipTransports.Inbound inbound;
    private final ConcurrentHashMap<InetSocketAddress, Flow> open = new ConcurrentHashMap<>();

    AttachedFlows(Transport transport, int port, SipParser parser, SourceSlots limiter,
            SipTransports.Inbound inbound) {
        this.transport = transport;
        this.port = port;
        this.parser = parser;
        this.limiter = limiter;
        this.inbound = inbound;
    }

    int port() {
        return port;
    }

    int count() {
        return open.size();
    }

    @Override
    public boolean onOpened(Flow flow) {
        checkTransport(flow);
        SourceSlots.Admission admission = limiter.tryAcquire(flow.remoteAddress().getAddress());
        if (admission != SourceSlots.Admission.ADMITTED) {
            LOG.debug("refusing a {} connection from {}: {}", transport, flow.remoteAddress(), admission);
            return false;
        }
        Flow previous = open.put(flow.remoteAddress(), flow);
        if (previous != null && previous != flow) {
            LOG.debug("{} replaces {} from the same address", flow.id(), previous.id());
        }
        return true;
    }

    @Override
    public boolean onMessage(Flow flow, byte[] message) {
        ParseResult result = parser.parseDatagram(message, 0, message.length);
        switch (result) {
            case ParseResult.Parsed p -> {
                try {
                    if (p.message() instanceof SipRequest request) {
                        inbound.onRequest(ViaRouting.stamp(request, flow.remoteAddress()), flow);
                    } else {
                        inbound.onResponse((SipResponse) p.message(), flow);
                    }
                } catch (SipSyntaxException e) {
                    LOG.debug("{}: bad header from {}: {}", flow.id(), flow.remoteAddress(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("{}: the SIP stack failed on a message from {}", flow.id(), flow.remoteAddress(), e);
                }
                return true;
            }
            case ParseResult.KeepAlive k -> {
                flow.send(CRLF); // RFC 5626 §4.4.1: the pong to a CRLF CRLF ping is one CRLF
                return false;
            }
            case ParseResult.Malformed m -> {
                malformed(flow, m);
                return false;
            }
        }
    }

    private void malformed(Flow flow, ParseResult.Malformed m) {
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
            response = ViaRouting.prepareUnroutableErrorResponse(answer.get()); // a connection needs no address
        }
        flow.send(response);
    }

    @Override
    public void onClosed(Flow flow) {
        if (!open.remove(flow.remoteAddress(), flow)) {
            return; // never admitted, or told twice
        }
        limiter.release(flow.remoteAddress().getAddress());
        try {
            inbound.onFlowClosed(flow);
        } catch (RuntimeException e) {
            LOG.warn("the SIP stack failed on the close of {}", flow, e);
        }
    }

    /**
     * The open flow from {@code remote}; fails at once when there is none, since Parley cannot open a connection to
     * a WebSocket client (RFC 7118 §5: the client always connects).
     */
    CompletableFuture<Flow> flowTo(InetSocketAddress remote) {
        Flow flow = open.get(remote);
        if (flow != null && flow.isOpen()) {
            return CompletableFuture.completedFuture(flow);
        }
        return CompletableFuture.failedFuture(new IOException("no open " + transport + " connection from " + remote
                + ": a WebSocket client must connect to Parley, Parley cannot connect to it (RFC 7118)"));
    }

    private void checkTransport(Flow flow) {
        if (flow.transport() != transport) {
            throw new IllegalArgumentException(flow + " is a " + flow.transport() + " flow, attached as " + transport);
        }
    }
}
