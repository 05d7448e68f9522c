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

    /** Closes the socket; {@code closed} runs once the port is free. */
    void close(Runnable closed);
}
