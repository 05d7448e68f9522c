package dev.parley.sipstack.transport;

import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a SIP datagram with {@code sendto(2)} on the calling thread (the lane that built the message), straight to
 * the listening socket of a native (epoll) UDP channel, instead of handing it to the channel's event loop.
 *
 * <p>Why: through the channel, every datagram a lane sends is a task queued to the I/O thread, an {@code eventfd}
 * write to wake it, a pooled direct buffer the heap bytes are copied into, the outbound pipeline and a listener —
 * and the I/O thread is also the one reading every datagram. In the CPU profile of the SIP load benchmark that hand-off
 * was about as much CPU as the {@code sendto} itself. {@code sendto} on one UDP socket from several threads is safe
 * (each call sends one whole datagram), and a datagram socket keeps no state between sends for Netty to track.
 *
 * <p>When not: a NIO channel (no file descriptor to send on), a closed channel, and any send the kernel does not take
 * at once ({@code EAGAIN} with the send buffer full, or an error) go the channel's way, which queues and retries or
 * reports. While such a send is queued, every later one goes the same way, so this sender never overtakes them:
 * messages leave in the order each lane sent them (SIP over UDP copes with reordering, but sipp, for one, counts a
 * 180 after the 200 as a failed call).
 */
final class DirectDatagramSend {
    private static final AttributeKey<DirectDatagramSend> KEY = AttributeKey.valueOf(DirectDatagramSend.class,
            "sender");
    /** Each sending thread's buffer for the native call: a datagram is at most 64 KiB. */
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal
            .withInitial(() -> ByteBuffer.allocateDirect(SipTransports.MAX_DATAGRAM));

    private final Channel channel;
    /** The channel's socket, or null when it has none to send on (NIO). */
    private final Socket socket;
    /** Sends handed to the channel and not yet written or failed. */
    private final AtomicInteger queued = new AtomicInteger();

    private DirectDatagramSend(Channel channel) {
        this.channel = channel;
        FileDescriptor fd = channel instanceof UnixChannel unix ? unix.fd() : null;
        this.socket = fd instanceof Socket s ? s : null;
    }

    /** The sender of {@code channel}, made once per channel. */
    static DirectDatagramSend of(Channel channel) {
        DirectDatagramSend s = channel.attr(KEY).get();
        if (s == null) {
            DirectDatagramSend made = new DirectDatagramSend(channel);
            s = channel.attr(KEY).setIfAbsent(made);
            if (s == null) {
                s = made;
            }
        }
        return s;
    }

    /** Whether sends can go straight to the socket (a native channel); for tests. */
    boolean isDirect() {
        return socket != null;
    }

    /**
     * Sends {@code message} to {@code remote} on the calling thread if the kernel takes it whole now; else returns
     * false and sends nothing, and the caller must send it through the channel with {@link #queuedSend}.
     */
    boolean trySend(byte[] message, InetSocketAddress remote) {
        if (socket == null || queued.get() != 0 || !channel.isOpen() || message.length > SipTransports.MAX_DATAGRAM
                || remote.isUnresolved()) {
            return false;
        }
        ByteBuffer buf = BUFFERS.get();
        buf.clear();
        buf.put(message);
        try {
            return socket.sendTo(buf, 0, message.length, remote.getAddress(), remote.getPort()) == message.length;
        } catch (IOException e) {
            return false; // the channel's way sends it again and reports what fails
        }
    }

    /** Counts a send handed to the channel; {@link #queuedDone} when it was written or failed. */
    void queuedSend() {
        queued.incrementAndGet();
    }

    void queuedDone() {
        queued.decrementAndGet();
    }
}
