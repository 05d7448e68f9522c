package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * One of an endpoint's UDP sockets as the relay uses it: send, move to another event loop, close. Two kinds: a
 * {@link NativeUdpSocket} (epoll: the socket registered on the loop by the media plane itself, no Netty channel)
 * and a {@link ChannelSocket} (a Netty channel: Java NIO, and the shared WebRTC port).
 *
 * <p>Every method is called on the event loop the socket is registered on.
 */
public interface MediaSocket {
    /** Sends a relayed packet to {@code to}; false when it was dropped (the kernel refused it at once). */
    boolean send(PacketBuffer packet, SendAddress to);

    /** Sends what is not media (a STUN answer, a DTLS record) to {@code to}; lost quietly when refused. */
    void send(byte[] array, int offset, int length, InetSocketAddress to);

    /**
     * Leaves this loop and registers on {@code target}'s; {@code moved} runs afterwards (on {@code target}'s loop)
     * with whether it worked. The kernel queues what arrives meanwhile.
     */
    void moveTo(MediaLoop target, Consumer<Boolean> moved);

    /**
     * Connects the socket to {@code peer} ({@code connect(2)}): from now on the kernel delivers only {@code peer}'s
     * datagrams to it, and a packet sent to that same address object goes out without an address, by the route the
     * kernel cached on the socket (no route lookup per packet). False when this kind of socket does not connect (the
     * default) or the kernel refused: then nothing changed.
     */
    default boolean connect(InetSocketAddress peer) {
        return false;
    }

    /**
     * Readies a socket bound to the wildcard address for a later {@link #connect}: its reads learn which local address
     * each datagram was sent to, which {@code connect} must find again. Once per socket; false when it will never
     * connect (the default, and where the kernel or the JDK does not say), nothing for a socket bound to one address.
     */
    default boolean watchArrivalAddress() {
        return false;
    }

    /**
     * After {@link #connect} returned false: whether asking again, with a later datagram from the peer, may succeed.
     * False by default: the refusal holds for the current call.
     */
    default boolean connectsLater() {
        return false;
    }

    /** Undoes {@link #connect}: datagrams from any source again. Nothing when it is not connected. */
    default void disconnect() {
    }

    /** Closes the socket; {@code closed} runs once the port is free. */
    void close(Runnable closed);
}
