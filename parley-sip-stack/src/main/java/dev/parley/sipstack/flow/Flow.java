package dev.parley.sipstack.flow;

import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipMessage;
import java.net.InetSocketAddress;

/**
 * One path to a peer. For a request that arrived, its flow is where the responses go (RFC 3261 §18.2.2: the same
 * connection on reliable transports; on UDP the source address and port when {@code rport} was asked for, RFC
 * 3581). For a request Parley sends, its flow is the socket or connection chosen for the target.
 *
 * <p>Implementations are thread-safe and never block the caller: {@link #send} queues the bytes for the flow's event
 * loop. A failed send is reported by the transport (a closed connection ends its flow), not thrown.
 */
public interface Flow {

    Transport transport();

    /** The local address the flow sends from. */
    InetSocketAddress localAddress();

    /** The peer's address as seen on the wire (after NAT). */
    InetSocketAddress remoteAddress();

    /**
     * An identifier that stays the same for the flow's lifetime and differs between flows, so a registrar can bind
     * a contact to the connection it came on (RFC 5626 flow, RFC 7118 §5: requests to a WebSocket client must use
     * its connection).
     */
    String id();

    /** True until the connection closes; a UDP flow is always open. */
    boolean isOpen();

    /** Writes one serialized message. */
    void send(byte[] message);

    /** Serializes and writes one message. */
    default void send(SipMessage message) {
        send(SipSerializer.serialize(message));
    }

    /**
     * Tells the transport that the peer on this flow proved who it is (the registrar calls it after a successful
     * REGISTER). A connection that was never authenticated is closed after a short idle time; an authenticated one
     * stays until the peer closes it, an error, or the long idle timeout. No-op for flows without that protection
     * (UDP).
     */
    default void markAuthenticated() {
    }

    default boolean isReliable() {
        return transport().isReliable();
    }

    default boolean isSecure() {
        return transport().isSecure();
    }
}
