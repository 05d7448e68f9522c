package dev.parley.sipstack.transport;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.Host;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a server transport does to the top Via of a request it receives, and where the responses go.
 *
 * <ul>
 *   <li>RFC 3261 §18.2.1: {@code received=<source address>} when the sent-by host is a name or an address other
 *       than the packet's source;</li>
 *   <li>RFC 3581 §4: when the Via has {@code rport}, {@code rport=<source port>} and {@code received} always;</li>
 *   <li>RFC 3261 §18.2.2 with RFC 3581 §5 (unreliable transports): responses go to the source address and port
 *       when {@code rport} was asked for, else to the source address and the sent-by port. The address is always
 *       the packet's, never the Via's, so a forged sent-by cannot turn Parley into a reflector to a third host.</li>
 * </ul>
 */
final class ViaRouting {

    private ViaRouting() {
    }

    /** The top Via with {@code received}/{@code rport} filled in for a request from {@code source}. */
    static Via stamp(Via top, InetSocketAddress source) {
        boolean rport = top.hasRport();
        InetAddress ip = source.getAddress();
        if (!rport && sameAddress(top.host(), ip)) {
            return top;
        }
        Via v = top.withParameter("received", receivedText(ip));
        if (rport) {
            v = v.withParameter("rport", Integer.toString(source.getPort()));
        }
        return v;
    }

    /** The request with its top Via {@linkplain #stamp stamped}; the same instance when nothing changes. */
    static SipRequest stamp(SipRequest request, InetSocketAddress source) {
        Via top = request.topVia();
        Via stamped = stamp(top, source);
        return stamped == top ? request : request.withTopVia(stamped);
    }

    /**
     * A parser-built error response (whose header fields are as the peer sent them) made ready to send: the top
     * Via stamped as the request's would have been, and a To tag added when it has none (RFC 3261 §8.2.6.2).
     *
     * @throws RuntimeException when the copied Via does not parse; see {@link #prepareUnroutableErrorResponse}
     */
    static SipResponse prepareErrorResponse(SipResponse response, InetSocketAddress source) {
        Via top = response.topVia();
        return withToTag(response.toBuilder().removeFirst(HeaderType.VIA).addFirst(HeaderType.VIA, stamp(top, source)),
                response);
    }

    /**
     * A parser-built error response whose top Via does not parse (RFC 4475 §3.1.2.1: {@code Via: SIP/2.0/UDP
     * 192.0.2.15;;,;,,} still deserves its {@code 400}): the header fields go back as the peer sent them, with a To
     * tag added. Over UDP it goes to the packet's source address and port: the Via names no usable port, and an
     * address is never taken from the message.
     */
    static SipResponse prepareUnroutableErrorResponse(SipResponse response) {
        return withToTag(response.toBuilder(), response);
    }

    private static SipResponse withToTag(SipResponse.Builder b, SipResponse response) {
        try {
            Address to = response.to();
            if (to != null && to.tag() == null) {
                b.set(HeaderType.TO, to.withTag(Long.toHexString(ThreadLocalRandom.current().nextLong())));
            }
        } catch (RuntimeException unparsableTo) {
            // the To goes back as it came: still enough for the client transaction to match on the Via branch
        }
        return b.build();
    }

    /** Where responses to a request that arrived over UDP from {@code source} with this (stamped) Via go. */
    static InetSocketAddress udpResponseTarget(Via top, InetSocketAddress source, int defaultPort) {
        if (top.hasRport()) {
            return source; // RFC 3581 §5
        }
        int port = top.port() > 0 ? top.port() : defaultPort;
        return port == source.getPort() ? source : new InetSocketAddress(source.getAddress(), port);
    }

    /** True when {@code sentBy} is an IP literal equal to {@code ip}; false for host names. */
    static boolean sameAddress(String sentBy, InetAddress ip) {
        try {
            Host host = Host.parse(sentBy);
            if (host.isHostname()) {
                return false;
            }
            String mine = ip instanceof Inet6Address ? "[" + receivedText(ip) + "]" : ip.getHostAddress();
            return host.canonical().equals(Host.parse(mine).canonical());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The address as the {@code received} parameter carries it: dotted IPv4, or IPv6 without brackets or scope. */
    static String receivedText(InetAddress ip) {
        String s = ip.getHostAddress();
        int scope = s.indexOf('%');
        return scope >= 0 ? s.substring(0, scope) : s;
    }
}
