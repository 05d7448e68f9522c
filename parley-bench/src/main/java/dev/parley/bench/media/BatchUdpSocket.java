package dev.parley.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * The load generator's UDP socket on 127.0.0.1: sends and receives in batches of up to {@link #BATCH} datagrams, one
 * {@code sendmmsg(2)} or {@code recvmmsg(2)} each, through Netty's own native methods ({@code
 * io.netty.channel.epoll.Native.sendmmsg0/recvmmsg0}, private, reached with MethodHandles as parley-media's
 * {@code NativeReceive} reaches {@code recvmsg0}), into and out of one direct buffer of {@link #BATCH} slots per
 * direction made once.
 *
 * <p>Why not a Netty channel, as before: per datagram a channel made a {@code DatagramPacket}, a pooled buffer, a
 * sender {@code InetSocketAddress} with its {@code Inet4Address}, an outbound-buffer entry, and walked the pipeline
 * both ways; that, not the system calls, was most of what the generator's core did at 1,500 calls. Here a received
 * datagram is read where the kernel put it (its sender port and length from the fields the native code fills in),
 * and a datagram sent costs one copy into its slot.
 *
 * <p>Touched by one thread at a time. Linux with Netty's epoll transport only (as the benchmark always was).
 */
final class BatchUdpSocket implements AutoCloseable {
    /** Datagrams per system call. */
    static final int BATCH = 64;
    /** Octets per datagram slot: more than any packet of the benchmark (182 at most). */
    static final int SLOT = 2048;

    private static final String EPOLL = "io.netty.channel.epoll.";
    /** {@code Native.sendmmsg0/recvmmsg0(int fd, boolean ipv6, NativeDatagramPacket[] p, int offset, int len)}. */
    private static final MethodHandle SENDMMSG;
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle NEW_PACKET_ARRAY;
    private static final MethodHandle ADD_WRITABLE;
    /** {@code add0(ByteBuf content, int index, int len, int segmentLen, InetSocketAddress recipient)}. */
    private static final MethodHandle ADD;
    private static final MethodHandle CLEAR;
    private static final MethodHandle PACKETS;
    private static final MethodHandle RELEASE;
    /** A packet's iovec count before a read; the native code leaves the datagram's length in it after. */
    private static final VarHandle COUNT;
    private static final VarHandle SENDER_PORT;
    private static final VarHandle SOCKET_IPV6;

    static {
        try {
            Class<?> nativeClass = Class.forName(EPOLL + "Native");
            Class<?> arrayClass = Class.forName(EPOLL + "NativeDatagramPacketArray");
            Class<?> packetClass = Class.forName(EPOLL + "NativeDatagramPacketArray$NativeDatagramPacket");
            Class<?> packetsClass = packetClass.arrayType();
            MethodType mmsg = MethodType.methodType(int.class, int.class, boolean.class, packetsClass, int.class,
                    int.class);
            MethodType generic = MethodType.methodType(int.class, int.class, boolean.class, Object[].class,
                    int.class, int.class);
            MethodHandles.Lookup natives = MethodHandles.privateLookupIn(nativeClass, MethodHandles.lookup());
            SENDMMSG = natives.findStatic(nativeClass, "sendmmsg0", mmsg).asType(generic);
            RECVMMSG = natives.findStatic(nativeClass, "recvmmsg0", mmsg).asType(generic);
            MethodHandles.Lookup arrays = MethodHandles.privateLookupIn(arrayClass, MethodHandles.lookup());
            NEW_PACKET_ARRAY = arrays.findConstructor(arrayClass, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            ADD_WRITABLE = arrays.findVirtual(arrayClass, "addWritable",
                    MethodType.methodType(boolean.class, ByteBuf.class, int.class, int.class))
                    .asType(MethodType.methodType(boolean.class, Object.class, ByteBuf.class, int.class, int.class));
            ADD = arrays.findVirtual(arrayClass, "add0", MethodType.methodType(boolean.class, ByteBuf.class,
                    int.class, int.class, int.class, InetSocketAddress.class))
                    .asType(MethodType.methodType(boolean.class, Object.class, ByteBuf.class, int.class, int.class,
                            int.class, InetSocketAddress.class));
            CLEAR = arrays.findVirtual(arrayClass, "clear", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            PACKETS = arrays.findVirtual(arrayClass, "packets", MethodType.methodType(packetsClass))
                    .asType(MethodType.methodType(Object[].class, Object.class));
            RELEASE = arrays.findVirtual(arrayClass, "release", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            MethodHandles.Lookup packets = MethodHandles.privateLookupIn(packetClass, MethodHandles.lookup());
            COUNT = packets.findVarHandle(packetClass, "count", int.class);
            SENDER_PORT = packets.findVarHandle(packetClass, "senderPort", int.class);
            SOCKET_IPV6 = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup())
                    .findVarHandle(Socket.class, "ipv6", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LinuxSocket socket;
    private final int fd;
    private final boolean ipv6;
    private final int port;
    private final ByteBuf sendData = Unpooled.directBuffer(BATCH * SLOT, BATCH * SLOT);
    private final ByteBuf receiveData = Unpooled.directBuffer(BATCH * SLOT, BATCH * SLOT);
    private final Object sendArray;
    private final Object[] sendPackets;
    private final Object receiveArray;
    private final Object[] receivePackets;
    /** The tags (streams) of the datagrams queued for sending, by slot. */
    private final int[] queuedTag = new int[BATCH];
    private int queued;
    private boolean closed;

    /** Binds a socket to 127.0.0.1 on an ephemeral port, with the receive and send buffers asked for. */
    BatchUdpSocket(int receiveBuffer, int sendBuffer) throws IOException {
        socket = LinuxSocket.newSocketDgram();
        try {
            // up to the kernel's net.core.rmem_max / wmem_max (media-load.sh raises rmem_max for the run)
            socket.setReceiveBufferSize(receiveBuffer);
            socket.setSendBufferSize(sendBuffer);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.localAddress().getPort();
            fd = socket.intValue();
            ipv6 = (boolean) SOCKET_IPV6.get((Socket) socket);
            sendArray = NEW_PACKET_ARRAY.invokeExact();
            sendPackets = (Object[]) PACKETS.invokeExact(sendArray);
            receiveArray = NEW_PACKET_ARRAY.invokeExact();
            for (int i = 0; i < BATCH; i++) {
                if (!(boolean) ADD_WRITABLE.invokeExact(receiveArray, receiveData, i * SLOT, SLOT)) {
                    throw new IOException("no room for " + BATCH + " slots in Netty's datagram array");
                }
            }
            receivePackets = (Object[]) PACKETS.invokeExact(receiveArray);
        } catch (IOException | RuntimeException | Error e) {
            release();
            throw e;
        } catch (Throwable e) {
            release();
            throw new IOException("Netty's native datagram array", e);
        }
    }

    int port() {
        return port;
    }

    /** Slots queued for sending; {@link #flush} when it reaches {@link #BATCH}. */
    int queued() {
        return queued;
    }

    /**
     * Queues {@code packet[0, length)} for {@code to}; {@code tag} (the stream) comes back through {@link #flush}'s
     * counter when the kernel took it. The caller flushes when {@link #queued()} is {@link #BATCH}.
     */
    void queue(byte[] packet, int length, InetSocketAddress to, int tag) {
        if (queued == 0) {
            clear(sendArray);
        }
        int i = queued++;
        sendData.setBytes(i * SLOT, packet, 0, length);
        boolean added;
        try {
            added = (boolean) ADD.invokeExact(sendArray, sendData, i * SLOT, length, 0, to);
        } catch (Throwable e) {
            throw new IllegalStateException("Netty's datagram array", e);
        }
        if (!added) {
            throw new IllegalStateException("Netty's datagram array took only " + i + " datagrams");
        }
        queuedTag[i] = tag;
    }

    /** What {@link #flush} reports for each datagram sent. */
    @FunctionalInterface
    interface SentCounter {
        void sent(int tag);
    }

    /**
     * Sends what is queued, one {@code sendmmsg}; returns how many the kernel refused (a full send buffer: neither
     * sent nor counted). {@code counter} hears of each one sent.
     */
    int flush(SentCounter counter) {
        int n = queued;
        if (n == 0) {
            return 0;
        }
        queued = 0;
        int sent;
        try {
            sent = (int) SENDMMSG.invokeExact(fd, ipv6, sendPackets, 0, n);
        } catch (Throwable e) {
            throw new IllegalStateException("sendmmsg failed", e);
        }
        sent = Math.max(0, sent); // -errno: none sent
        for (int i = 0; i < sent; i++) {
            counter.sent(queuedTag[i]);
        }
        return n - sent;
    }

    /**
     * Reads what is queued, up to {@link #BATCH} datagrams, without waiting; returns how many (0 when none). They
     * stay readable until the next call: {@link #length}, {@link #sourcePort}, {@link #data}.
     */
    int receive() {
        if (closed) {
            return 0;
        }
        for (int i = 0; i < BATCH; i++) {
            COUNT.set(receivePackets[i], 1); // one iovec each; the last read left the datagram's length here
        }
        int n;
        try {
            n = (int) RECVMMSG.invokeExact(fd, ipv6, receivePackets, 0, BATCH);
        } catch (Throwable e) {
            throw new IllegalStateException("recvmmsg failed", e);
        }
        return Math.max(0, n); // -EAGAIN: nothing queued (or an error the kernel reported for the socket)
    }

    /** The length of received datagram {@code i} (cut to {@link #SLOT} when it was longer). */
    int length(int i) {
        return Math.min(SLOT, (int) COUNT.get(receivePackets[i]));
    }

    int sourcePort(int i) {
        return (int) SENDER_PORT.get(receivePackets[i]);
    }

    /** The receive buffer; datagram {@code i} is at {@code i * SLOT}. */
    ByteBuf data() {
        return receiveData;
    }

    private static void clear(Object array) {
        try {
            CLEAR.invokeExact(array);
        } catch (Throwable e) {
            throw new IllegalStateException("Netty's datagram array", e);
        }
    }

    /** The socket's descriptor, for an epoll set. */
    int fd() {
        return fd;
    }

    private void release() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        sendData.release();
        receiveData.release();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        for (Object array : new Object[] {sendArray, receiveArray}) {
            try {
                RELEASE.invokeExact(array);
            } catch (Throwable e) {
                // closing anyway
            }
        }
    }
}
