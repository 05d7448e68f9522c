package dev.parley.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * {@code recvmsg(2)} of one datagram into the event loop's one receive buffer, through Netty's own native method
 * ({@code io.netty.channel.epoll.Native.recvmsg0}, private, reached with a MethodHandle as {@link DirectSend} reaches
 * its {@code sendTo}). That method writes the sender's address octets, length, scope and port into the fields of a
 * {@code NativeDatagramPacket} made once per thread, and nothing else: Netty's datagram channel then builds an
 * {@code InetSocketAddress}, an {@code Inet4Address} and a {@code DatagramPacket} per datagram from them, which
 * {@link NativeUdpSocket} does not (it compares the octets with the senders it knows).
 *
 * <p>The buffer holds {@link ReceiveBuffer#CAPACITY} octets, one more than the relay takes: a longer datagram is
 * cut to it by the kernel and the relay, seeing more than {@link Workspace#MAX_DATAGRAM}, drops it whole.
 *
 * <p>Where Netty's internals cannot be reached (another Netty, Netty on the module path), {@link #UNAVAILABLE} says
 * why and the media plane keeps its Netty channels.
 */
final class NativeReceive {
    private static final String EPOLL = "io.netty.channel.epoll.";

    /** {@code Native.recvmsg0(int fd, boolean ipv6, NativeDatagramPacket packet)}: octets read, or -errno. */
    private static final MethodHandle RECVMSG;
    private static final MethodHandle NEW_PACKET_ARRAY;
    private static final MethodHandle ADD_WRITABLE;
    private static final MethodHandle PACKETS;
    private static final MethodHandle RELEASE;
    /** The packet's iovec count before the call; the native code leaves the datagram's length in it after. */
    private static final VarHandle COUNT;
    private static final VarHandle SENDER_ADDR;
    private static final VarHandle SENDER_ADDR_LEN;
    private static final VarHandle SENDER_SCOPE;
    private static final VarHandle SENDER_PORT;
    /**
     * The packet's recipient fields: where the datagram was addressed to, which Netty's {@code recvmsg0} writes from
     * an {@code IP_ORIGDSTADDR} control message (a socket with {@code IP_RECVORIGDSTADDR} set, IPv4 datagrams
     * only) and leaves alone otherwise. Null where they cannot be reached: then {@link #arrivalKnown} is never true.
     */
    private static final VarHandle RECIPIENT_ADDR;
    private static final VarHandle RECIPIENT_ADDR_LEN;
    /**
     * {@code Socket.recv(int fd, ByteBuffer buffer, int position, int limit)}: {@code recv(2)}, no sender address, for
     * a connected socket ({@link #readFromPeer}); octets read, or -errno. Null where it cannot be reached: then
     * connected sockets read with {@code recvmsg} as the others.
     */
    private static final MethodHandle RECV;
    /**
     * {@code Socket.recvAddress(int fd, long address, int position, int limit)}: {@link #RECV} given the buffer's
     * native address, not the {@code ByteBuffer}, so that the native code does not call back into the JVM for it on
     * every read ({@code GetDirectBufferAddress}: three JNI entries, see {@link DirectSend}). Null where it cannot be
     * reached: then {@link #RECV}.
     */
    private static final MethodHandle RECV_ADDRESS;
    /** {@code Socket.ipv6}: whether the socket is an IPv6 one (recvmsg reads the sender as a sockaddr_in6). */
    private static final VarHandle SOCKET_IPV6;
    /** Why native receiving is not possible, or null when it is. */
    static final String UNAVAILABLE;

    static {
        MethodHandle recvmsg = null;
        MethodHandle newArray = null;
        MethodHandle addWritable = null;
        MethodHandle packets = null;
        MethodHandle release = null;
        VarHandle count = null;
        VarHandle senderAddr = null;
        VarHandle senderAddrLen = null;
        VarHandle senderScope = null;
        VarHandle senderPort = null;
        VarHandle recipientAddr = null;
        VarHandle recipientAddrLen = null;
        VarHandle socketIpv6 = null;
        MethodHandle recv = null;
        MethodHandle recvAddress = null;
        String unavailable = null;
        try {
            Class<?> nativeClass = Class.forName(EPOLL + "Native");
            Class<?> arrayClass = Class.forName(EPOLL + "NativeDatagramPacketArray");
            Class<?> packetClass = Class.forName(EPOLL + "NativeDatagramPacketArray$NativeDatagramPacket");
            MethodHandles.Lookup natives = MethodHandles.privateLookupIn(nativeClass, MethodHandles.lookup());
            recvmsg = natives.findStatic(nativeClass, "recvmsg0",
                    MethodType.methodType(int.class, int.class, boolean.class, packetClass))
                    .asType(MethodType.methodType(int.class, int.class, boolean.class, Object.class));
            MethodHandles.Lookup arrays = MethodHandles.privateLookupIn(arrayClass, MethodHandles.lookup());
            newArray = arrays.findConstructor(arrayClass, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            addWritable = arrays.findVirtual(arrayClass, "addWritable",
                    MethodType.methodType(boolean.class, ByteBuf.class, int.class, int.class))
                    .asType(MethodType.methodType(boolean.class, Object.class, ByteBuf.class, int.class, int.class));
            packets = arrays.findVirtual(arrayClass, "packets",
                    MethodType.methodType(packetClass.arrayType()))
                    .asType(MethodType.methodType(Object[].class, Object.class));
            release = arrays.findVirtual(arrayClass, "release", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            MethodHandles.Lookup fields = MethodHandles.privateLookupIn(packetClass, MethodHandles.lookup());
            count = fields.findVarHandle(packetClass, "count", int.class);
            senderAddr = fields.findVarHandle(packetClass, "senderAddr", byte[].class);
            senderAddrLen = fields.findVarHandle(packetClass, "senderAddrLen", int.class);
            senderScope = fields.findVarHandle(packetClass, "senderScopeId", int.class);
            senderPort = fields.findVarHandle(packetClass, "senderPort", int.class);
            socketIpv6 = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup())
                    .findVarHandle(Socket.class, "ipv6", boolean.class);
            Class.forName(EPOLL + "Epoll").getMethod("ensureAvailability").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = "Netty's native recvmsg is not reachable: " + e;
        }
        if (unavailable == null) {
            try {
                MethodHandles.Lookup fields = MethodHandles.privateLookupIn(Class.forName(EPOLL
                        + "NativeDatagramPacketArray$NativeDatagramPacket"), MethodHandles.lookup());
                recipientAddr = fields.findVarHandle(fields.lookupClass(), "recipientAddr", byte[].class);
                recipientAddrLen = fields.findVarHandle(fields.lookupClass(), "recipientAddrLen", int.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                recipientAddr = null; // wildcard sockets then never connect (NativeUdpSocket#connect)
                recipientAddrLen = null;
            }
        }
        try {
            recv = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup()).findStatic(Socket.class,
                    "recv", MethodType.methodType(int.class, int.class, ByteBuffer.class, int.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            recv = null;
        }
        try {
            recvAddress = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup()).findStatic(Socket.class,
                    "recvAddress", MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            recvAddress = null;
        }
        RECV = unavailable == null ? recv : null;
        RECV_ADDRESS = RECV != null ? recvAddress : null;
        RECVMSG = recvmsg;
        NEW_PACKET_ARRAY = newArray;
        ADD_WRITABLE = addWritable;
        PACKETS = packets;
        RELEASE = release;
        COUNT = count;
        SENDER_ADDR = senderAddr;
        SENDER_ADDR_LEN = senderAddrLen;
        SENDER_SCOPE = senderScope;
        SENDER_PORT = senderPort;
        RECIPIENT_ADDR = recipientAddrLen != null ? recipientAddr : null;
        RECIPIENT_ADDR_LEN = recipientAddr != null ? recipientAddrLen : null;
        SOCKET_IPV6 = socketIpv6;
        UNAVAILABLE = unavailable;
    }

    private static final FastThreadLocal<NativeReceive> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected NativeReceive initialValue() {
            return new NativeReceive();
        }

        @Override
        protected void onRemoval(NativeReceive receive) {
            receive.free(); // the loop's thread ends
        }
    };

    private final ByteBuf buffer;
    /** The memory of {@link #buffer}, for {@code recv}. */
    private final ByteBuffer memory;
    /** Its native address, for {@link #RECV_ADDRESS}; 0 where that is not used. */
    private final long memoryAddress;
    private final Object packetArray;
    private final Object packet;
    /** The packet's sender octets: the native code writes them in place (4 for IPv4 and IPv4-mapped, else 16). */
    private final byte[] sender;
    /** The packet's recipient octets, written in place as {@link #sender}; null where not reachable. */
    private final byte[] recipient;

    private NativeReceive() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        memory = ByteBuffer.allocateDirect(ReceiveBuffer.CAPACITY);
        memoryAddress = RECV_ADDRESS != null ? Buffer.memoryAddress(memory) : 0;
        buffer = Unpooled.wrappedBuffer(memory);
        try {
            packetArray = NEW_PACKET_ARRAY.invokeExact();
            if (!(boolean) ADD_WRITABLE.invokeExact(packetArray, buffer, 0, ReceiveBuffer.CAPACITY)) {
                throw new IllegalStateException("no room for the receive buffer in Netty's datagram array");
            }
            packet = ((Object[]) PACKETS.invokeExact(packetArray))[0];
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        sender = (byte[]) SENDER_ADDR.get(packet);
        recipient = RECIPIENT_ADDR != null ? (byte[]) RECIPIENT_ADDR.get(packet) : null;
    }

    static boolean isIpv6(Socket socket) {
        return (boolean) SOCKET_IPV6.get(socket);
    }

    /** The calling event loop's receiver. */
    static NativeReceive current() {
        return PER_THREAD.get();
    }

    /**
     * Reads one datagram from the socket {@code fd} ({@code ipv6}: {@link #isIpv6}). Returns its length (0 for an
     * empty datagram; more than {@link Workspace#MAX_DATAGRAM} for one that was too long and cut), or a negative
     * errno: {@code -EAGAIN} when nothing was queued. The content is {@link #content()} until the next read on this
     * thread.
     */
    int read(int fd, boolean ipv6) {
        COUNT.set(packet, 1); // one iovec: the buffer (the previous read left its length here)
        if (RECIPIENT_ADDR_LEN != null) {
            // The native code writes the recipient only when a control message carries it: none is none
            RECIPIENT_ADDR_LEN.set(packet, 0);
        }
        int read;
        try {
            read = (int) RECVMSG.invokeExact(fd, ipv6, (Object) packet);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native recvmsg failed", e);
        }
        if (read >= 0) {
            buffer.setIndex(0, read);
        }
        return read;
    }

    /** Whether {@link #readFromPeer} reads by the buffer's address (no JNI call back for it); for tests. */
    static boolean readsByAddress() {
        return RECV_ADDRESS != null;
    }

    /** Whether {@link #readFromPeer} can be used here. */
    static boolean readsWithoutSender() {
        return RECV != null;
    }

    /**
     * {@link #read} from a connected socket, whose datagrams can only come from its peer: {@code recv(2)} without the
     * sender's address (Netty's {@code recvmsg0} writes four fields of its packet object through JNI for it). The
     * sender fields keep what the last {@link #read} left there. Only when {@link #readsWithoutSender()}.
     */
    int readFromPeer(int fd) {
        int read;
        try {
            // Netty's recv: octets read, 0 for an empty datagram, -errno
            read = memoryAddress != 0 ? (int) RECV_ADDRESS.invokeExact(fd, memoryAddress, 0, ReceiveBuffer.CAPACITY)
                    : (int) RECV.invokeExact(fd, memory, 0, ReceiveBuffer.CAPACITY);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("native recv failed", e);
        }
        if (read >= 0) {
            buffer.setIndex(0, read);
        }
        return read;
    }

    /** The last datagram read (readable bytes = its length); valid until the next read on this thread. */
    ByteBuf content() {
        return buffer;
    }

    /** The sender's octets: the first {@link #senderLength()} of them. Never modify. */
    byte[] senderOctets() {
        return sender;
    }

    /** 4 (IPv4, also IPv4-mapped on an IPv6 socket) or 16. */
    int senderLength() {
        return (int) SENDER_ADDR_LEN.get(packet);
    }

    int senderScope() {
        return (int) SENDER_SCOPE.get(packet);
    }

    int senderPort() {
        return (int) SENDER_PORT.get(packet);
    }

    /**
     * Whether the last {@link #read} learnt the IPv4 address its datagram was sent to: its socket has
     * {@code IP_RECVORIGDSTADDR} set ({@link NativeUdpSocket#watchArrivalAddress}) and it came by IPv4.
     */
    boolean arrivalKnown() {
        return RECIPIENT_ADDR_LEN != null && (int) RECIPIENT_ADDR_LEN.get(packet) == 4;
    }

    /** Whether the last {@link #read}'s datagram was sent to {@code local} ({@link #arrivalKnown} first). */
    boolean arrivedAt(byte[] local) {
        return local.length == 4 && recipient != null && recipient[0] == local[0] && recipient[1] == local[1]
                && recipient[2] == local[2] && recipient[3] == local[3];
    }

    /** Whether field handles for the recipient's address were found (see {@link #arrivalKnown}). */
    static boolean readsArrivalAddress() {
        return RECIPIENT_ADDR_LEN != null;
    }

    private void free() {
        try {
            RELEASE.invokeExact(packetArray);
        } catch (Throwable e) {
            // the thread ends anyway
        }
        buffer.release();
    }
}
