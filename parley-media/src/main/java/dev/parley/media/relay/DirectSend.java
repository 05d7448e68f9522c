package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import io.netty.channel.Channel;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Sends a relayed datagram straight to a native (epoll) socket from the event loop that owns it, past Netty's
 * outbound pipeline: {@code writeAndFlush} costs a pooled buffer, a {@code DatagramPacket}, an outbound-buffer
 * entry and a walk of the pipeline for every packet, on a path that does nothing but copy the bytes into native
 * memory and call {@code sendto}. Here the bytes go into one direct buffer per event-loop thread and {@code sendto}
 * is called at once: the same system call, without the per-packet objects (the relay's allocation per packet and
 * so its young collections went down; numbers in docs/benchmarks.md, media load).
 *
 * <p>A datagram the kernel does not take at once (EAGAIN: the socket's send buffer is full) is dropped and
 * reported as not sent, as the kernel drops one for a full receive buffer: queueing it in user space would only
 * make everything behind it later, and late media is useless (the receiver's jitter buffer discards it).
 *
 * <p>Only on the channel's own event loop and while it is open, so the descriptor cannot be closed (and reused)
 * under the call; elsewhere, and for Java NIO channels, the caller falls back to the pipeline.
 */
final class DirectSend {
    enum Result {
        SENT,
        /** The kernel refused it (full send buffer, or an error): not sent, counted as dropped. */
        DROPPED,
        /** Not a native socket, or not on its loop: send through the pipeline. */
        USE_PIPELINE
    }

    /**
     * Netty's private native {@code Socket.sendTo(fd, ipv6, buffer, position, limit, address, scopeId, port, flags)}
     * that its public {@code sendTo} calls after making the address arrays; taking the address as a
     * {@link SendAddress} made once per destination saves those two arrays per datagram. Null where it cannot be
     * reached (Netty on the module path, another Netty): then the public method.
     */
    private static final MethodHandle NATIVE_SEND_TO;
    /**
     * Netty's private native {@code Socket.send(fd, buffer, position, limit)}: {@code send(2)} without an address, for
     * a connected socket; -errno instead of an exception (a connected UDP socket reports the peer's ICMP errors, e.g.
     * {@code ECONNREFUSED}, and the public method would throw one per such packet). Null where it cannot be reached:
     * then the public method.
     */
    private static final MethodHandle NATIVE_SEND;
    /**
     * The same two natives taking the buffer's native address ({@code Socket.sendToAddress}, {@code sendAddress})
     * instead of the {@code ByteBuffer}: those call back into the JVM for the address on every packet
     * ({@code GetDirectBufferAddress}, which checks the buffer's class with {@code IsInstanceOf} and reads its address
     * field: three JNI entries into the VM per send, docs/benchmarks.md, thirteenth session). Null where they cannot
     * be reached: then the {@code ByteBuffer} ones above.
     */
    private static final MethodHandle NATIVE_SEND_TO_ADDRESS;
    private static final MethodHandle NATIVE_SEND_ADDRESS;
    /** {@code Socket.ipv6}: whether the socket is an IPv6 one (then IPv4 destinations go as mapped addresses). */
    private static final VarHandle SOCKET_IPV6;

    static {
        MethodHandle sendTo = null;
        MethodHandle send = null;
        MethodHandle sendToAddress = null;
        MethodHandle sendAddress = null;
        VarHandle ipv6 = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup());
            sendTo = lookup.findStatic(Socket.class, "sendTo", MethodType.methodType(int.class, int.class,
                    boolean.class, ByteBuffer.class, int.class, int.class, byte[].class, int.class, int.class,
                    int.class));
            ipv6 = lookup.findVarHandle(Socket.class, "ipv6", boolean.class);
            send = lookup.findStatic(Socket.class, "send", MethodType.methodType(int.class, int.class,
                    ByteBuffer.class, int.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            sendTo = null;
            send = null;
        }
        if (sendTo != null && send != null) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup());
                sendToAddress = lookup.findStatic(Socket.class, "sendToAddress", MethodType.methodType(int.class,
                        int.class, boolean.class, long.class, int.class, int.class, byte[].class, int.class,
                        int.class, int.class));
                sendAddress = lookup.findStatic(Socket.class, "sendAddress", MethodType.methodType(int.class,
                        int.class, long.class, int.class, int.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                sendToAddress = null;
                sendAddress = null;
            }
        }
        NATIVE_SEND_TO = sendTo;
        NATIVE_SEND = send;
        NATIVE_SEND_TO_ADDRESS = sendAddress != null ? sendToAddress : null;
        NATIVE_SEND_ADDRESS = sendToAddress != null ? sendAddress : null;
        SOCKET_IPV6 = ipv6;
    }

    private final ByteBuffer scratch;
    /** The native address of {@link #scratch}, or 0 where the address natives are not used. */
    private final long scratchAddress;

    DirectSend(int capacity) {
        this(capacity, true);
    }

    /** {@code byAddress} false: the {@code ByteBuffer} natives even where the address ones are reachable; for tests. */
    DirectSend(int capacity, boolean byAddress) {
        this.scratch = ByteBuffer.allocateDirect(capacity);
        this.scratchAddress = byAddress && NATIVE_SEND_ADDRESS != null ? Buffer.memoryAddress(scratch) : 0;
    }

    /** Whether this sender hands Netty's natives its buffer's address, not the buffer. */
    boolean sendsByAddress() {
        return scratchAddress != 0;
    }

    /** Whether datagrams go out through Netty's native {@code sendTo} with a prepared address. */
    static boolean sendsWithPreparedAddress() {
        return NATIVE_SEND_TO != null;
    }

    Result send(Channel channel, PacketBuffer packet, SendAddress to) {
        if (!(channel instanceof UnixChannel unix) || !channel.eventLoop().inEventLoop() || !channel.isOpen()) {
            return Result.USE_PIPELINE;
        }
        FileDescriptor fd = unix.fd();
        if (!(fd instanceof Socket socket) || packet.length() > scratch.capacity()) {
            return Result.USE_PIPELINE;
        }
        boolean ipv6 = SOCKET_IPV6 != null && (boolean) SOCKET_IPV6.get(socket);
        return send(socket, socket.intValue(), ipv6, packet.array(), packet.offset(), packet.length(), to)
                ? Result.SENT : Result.DROPPED;
    }

    /**
     * Sends {@code length} octets to {@code socket}, a native socket that stays open for the call (its owner's
     * loop, or a socket nobody else closes), whose descriptor is {@code fd} and which is an IPv6 socket when
     * {@code ipv6Socket}: the caller's copies, so that the native path does not read the socket object. False when
     * the kernel refused it (counted as dropped).
     */
    boolean send(Socket socket, int fd, boolean ipv6Socket, byte[] array, int offset, int length, SendAddress to) {
        if (length > scratch.capacity()) {
            return false;
        }
        scratch.clear();
        scratch.put(array, offset, length);
        try {
            if (scratchAddress != 0) {
                // A negative result is -errno (EAGAIN: send buffer full; an ICMP error reported late): dropped
                int sent = (int) NATIVE_SEND_TO_ADDRESS.invokeExact(fd, ipv6Socket || to.ipv6(), scratchAddress, 0,
                        length, to.octets(), to.scopeId(), to.port(), 0);
                return sent == length;
            }
            if (NATIVE_SEND_TO != null) {
                int sent = (int) NATIVE_SEND_TO.invokeExact(fd, ipv6Socket || to.ipv6(), scratch, 0, length,
                        to.octets(), to.scopeId(), to.port(), 0);
                return sent == length;
            }
            return socket.sendTo(scratch, 0, length, to.address().getAddress(), to.port()) == length;
        } catch (IOException e) {
            // An unconnected UDP socket reports little (no ICMP errors); what it does report is the peer's or
            // the network's state, not a fault of ours: the packet is lost like any other.
            return false;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native sendto failed", e);
        }
    }

    /**
     * Sends {@code length} octets on {@code socket}, connected to where they go ({@link NativeUdpSocket#connect}):
     * {@code send(2)} without an address, so the kernel takes the route cached on the socket instead of looking
     * one up for the packet. The same rules as {@link #send(Socket, int, boolean, byte[], int, int, SendAddress)}
     * otherwise.
     */
    boolean sendConnected(Socket socket, int fd, byte[] array, int offset, int length) {
        if (length > scratch.capacity()) {
            return false;
        }
        scratch.clear();
        scratch.put(array, offset, length);
        try {
            if (NATIVE_SEND != null) {
                // -errno: EAGAIN (send buffer full), or an ICMP error the peer's host sent for an earlier packet
                int sent = sendConnected(fd, length);
                if (sent == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
                    // The error was an earlier packet's (a closed port), reported once and now cleared: this packet
                    // goes as it would from an unconnected socket, which never sees these errors
                    sent = sendConnected(fd, length);
                }
                return sent == length;
            }
            return socket.send(scratch, 0, length) == length;
        } catch (IOException e) {
            return false; // the peer's or the network's state (see above): lost like any other packet
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native send failed", e);
        }
    }

    /** {@code send(2)} of the first {@code length} octets of {@link #scratch}: octets sent, or -errno. */
    private int sendConnected(int fd, int length) throws Throwable {
        return scratchAddress != 0 ? (int) NATIVE_SEND_ADDRESS.invokeExact(fd, scratchAddress, 0, length)
                : (int) NATIVE_SEND.invokeExact(fd, scratch, 0, length);
    }
}
