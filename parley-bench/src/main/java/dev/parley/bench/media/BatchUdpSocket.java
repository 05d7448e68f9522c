package dev.parley.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * The load generator's UDP socket on 127.0.0.1: sends and receives in batches of up to {@link #BATCH} datagrams, one
 * {@code sendmmsg(2)} or {@code recvmmsg(2)} each, sending through Netty's own native method ({@code
 * io.netty.channel.epoll.Native.sendmmsg0}, private, reached with MethodHandles as parley-media's
 * {@code NativeReceive} reaches {@code recvmsg0}), into and out of one direct buffer of {@link #BATCH} slots per
 * direction made once.
 *
 * <p>Why not a Netty channel, as before: per datagram a channel made a {@code DatagramPacket}, a pooled buffer, a
 * sender {@code InetSocketAddress} with its {@code Inet4Address}, an outbound-buffer entry, and walked the pipeline
 * both ways; that, not the system calls, was most of what the generator's core did at 1,500 calls. Here a received
 * datagram is read where the kernel put it (its sender port and length from the fields the native code fills in),
 * and a datagram sent costs one copy into its slot.
 *
 * <p>Receiving is the JDK's own: {@code recvmmsg(2)} through the Foreign Function & Memory API into the same
 * direct buffer, with a control-message buffer per slot, because each datagram's kernel receive time ({@code
 * SO_TIMESTAMPNS}, switched on for the socket) comes back only as a control message and Netty's {@code recvmmsg0}
 * passes none. The headers, iovecs, sender addresses and control buffers are native memory laid out once; a read
 * resets the lengths the kernel wrote back and parses, per datagram, where it put the timestamp: still no Java
 * object per datagram. {@link #clockRealtimeNanos()} reads the same clock (CLOCK_REALTIME) for the send side.
 *
 * <p>Touched by one thread at a time. Linux x86_64 with Netty's epoll transport only (as the benchmark always was).
 */
final class BatchUdpSocket implements AutoCloseable {
    /** Datagrams per system call. */
    static final int BATCH = 64;
    /** Octets per datagram slot: more than any packet of the benchmark (182 at most). */
    static final int SLOT = 2048;

    private static final String EPOLL = "io.netty.channel.epoll.";
    /** {@code Native.sendmmsg0(int fd, boolean ipv6, NativeDatagramPacket[] p, int offset, int len)}. */
    private static final MethodHandle SENDMMSG;
    private static final MethodHandle NEW_PACKET_ARRAY;
    /** {@code add0(ByteBuf content, int index, int len, int segmentLen, InetSocketAddress recipient)}. */
    private static final MethodHandle ADD;
    private static final MethodHandle CLEAR;
    private static final MethodHandle PACKETS;
    private static final MethodHandle RELEASE;
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
            MethodHandles.Lookup arrays = MethodHandles.privateLookupIn(arrayClass, MethodHandles.lookup());
            NEW_PACKET_ARRAY = arrays.findConstructor(arrayClass, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
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
            SOCKET_IPV6 = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup())
                    .findVarHandle(Socket.class, "ipv6", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Linux x86_64 (LP64) layouts and constants, from <sys/socket.h>, <asm-generic/socket.h>, <time.h>.
    private static final int SOL_SOCKET = 1;
    /** {@code SO_TIMESTAMPNS} (= {@code SO_TIMESTAMPNS_OLD} on 64-bit): a {@code struct timespec} per datagram. */
    static final int SO_TIMESTAMPNS = 35;
    /** The control message's type for it: {@code SCM_TIMESTAMPNS} == {@code SO_TIMESTAMPNS}. */
    static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int CLOCK_REALTIME = 0;
    /** {@code struct mmsghdr}: a {@code struct msghdr} (56 octets) and {@code msg_len}, padded to 64. */
    private static final long MMSGHDR = 64;
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_LEN = 56;
    private static final long IOVEC = 16;
    /** Room for a {@code sockaddr_in6} (28 octets; Netty's sockets are dual-stack, 127.0.0.1 v4-mapped). */
    private static final long SOCKADDR = 32;
    /** Room for the timestamp's message ({@code CMSG_SPACE(16)} = 32) and one more the kernel might add. */
    static final long CONTROL = 64;
    /** {@code struct cmsghdr}: {@code size_t cmsg_len; int cmsg_level; int cmsg_type;} then the data, 8-aligned. */
    private static final long CMSG_HEADER = 16;

    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle RECVMMSG;
    private static final MethodHandle CLOCK_GETTIME;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        SETSOCKOPT = linker.downcallHandle(libc.find("setsockopt").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // critical: no thread-state transition around these short calls that never block (MSG_DONTWAIT)
        RECVMMSG = linker.downcallHandle(libc.find("recvmmsg").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS), Linker.Option.critical(false));
        CLOCK_GETTIME = linker.downcallHandle(libc.find("clock_gettime").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), Linker.Option.critical(false));
    }

    private final LinuxSocket socket;
    private final int fd;
    private final boolean ipv6;
    private final int port;
    private final ByteBuf sendData = Unpooled.directBuffer(BATCH * SLOT, BATCH * SLOT);
    private final ByteBuf receiveData = Unpooled.directBuffer(BATCH * SLOT, BATCH * SLOT);
    private final Object sendArray;
    private final Object[] sendPackets;
    /** Native memory of the receive side: the headers, iovecs, sender addresses and control buffers. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment headers;
    private final MemorySegment names;
    private final MemorySegment controls;
    /** CLOCK_REALTIME read into this by {@link #clockRealtimeNanos()}. */
    private final MemorySegment clock;
    /** How many slots the last read filled (whose lengths the kernel wrote back and the next read resets). */
    private int filled = BATCH;
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
            headers = arena.allocate(BATCH * MMSGHDR, 8);
            MemorySegment iovecs = arena.allocate(BATCH * IOVEC, 8);
            names = arena.allocate(BATCH * SOCKADDR, 8);
            controls = arena.allocate(BATCH * CONTROL, 8);
            clock = arena.allocate(16, 8);
            long data = MemorySegment.ofBuffer(receiveData.nioBuffer(0, BATCH * SLOT)).address();
            for (int i = 0; i < BATCH; i++) {
                iovecs.set(ValueLayout.JAVA_LONG, i * IOVEC, data + (long) i * SLOT);
                iovecs.set(ValueLayout.JAVA_LONG, i * IOVEC + 8, SLOT);
                long h = i * MMSGHDR;
                headers.set(ValueLayout.ADDRESS, h + MSG_NAME, names.asSlice(i * SOCKADDR));
                headers.set(ValueLayout.ADDRESS, h + MSG_IOV, iovecs.asSlice(i * IOVEC));
                headers.set(ValueLayout.JAVA_LONG, h + MSG_IOVLEN, 1);
                headers.set(ValueLayout.ADDRESS, h + MSG_CONTROL, controls.asSlice(i * CONTROL));
            }
            setTimestamps();
        } catch (IOException | RuntimeException | Error e) {
            release();
            throw e;
        } catch (Throwable e) {
            release();
            throw new IOException("Netty's native datagram array", e);
        }
    }

    /**
     * {@code setsockopt(SOL_SOCKET, SO_TIMESTAMPNS, 1)}: the kernel stamps each datagram as it enters the socket's
     * receive path (on 127.0.0.1: inside the sender's system call) with CLOCK_REALTIME, and hands the stamp to
     * {@code recvmmsg} as an {@code SCM_TIMESTAMPNS} control message (socket(7), "SO_TIMESTAMPNS").
     */
    private void setTimestamps() throws IOException {
        MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
        one.set(ValueLayout.JAVA_INT, 0, 1);
        int rc;
        try {
            rc = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_TIMESTAMPNS, one, 4);
        } catch (Throwable e) {
            throw new IOException("setsockopt(SO_TIMESTAMPNS)", e);
        }
        if (rc != 0) {
            throw new IOException("setsockopt(SO_TIMESTAMPNS) failed on fd " + fd);
        }
    }

    /** CLOCK_REALTIME in nanoseconds: the clock of the kernel's receive stamps ({@link #kernelStampNanos}). */
    long clockRealtimeNanos() {
        try {
            int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_REALTIME, clock);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_REALTIME) failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("clock_gettime", e);
        }
        return clock.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + clock.get(ValueLayout.JAVA_LONG, 8);
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
        // the kernel wrote back each filled slot's name and control lengths: room for the next datagram again
        for (int i = 0; i < filled; i++) {
            long h = i * MMSGHDR;
            headers.set(ValueLayout.JAVA_INT, h + MSG_NAMELEN, (int) SOCKADDR);
            headers.set(ValueLayout.JAVA_LONG, h + MSG_CONTROLLEN, CONTROL);
        }
        int n;
        try {
            n = (int) RECVMMSG.invokeExact(fd, headers, BATCH, MSG_DONTWAIT, MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException("recvmmsg failed", e);
        }
        n = Math.max(0, n); // -1: nothing queued (EAGAIN) or an error the kernel reported for the socket
        filled = n;
        return n;
    }

    /**
     * When the kernel stamped received datagram {@code i} (CLOCK_REALTIME, ns; see {@link #setTimestamps}), from
     * its {@code SCM_TIMESTAMPNS} control message; -1 when it carries none.
     */
    long kernelStampNanos(int i) {
        long length = headers.get(ValueLayout.JAVA_LONG, i * MMSGHDR + MSG_CONTROLLEN);
        return timestampIn(controls, i * CONTROL, Math.min(length, CONTROL));
    }

    /**
     * Walks the control messages in {@code control[from, from + length)} (cmsg(3): each a {@code cmsghdr} and its
     * data, the next at the 8-aligned end of {@code cmsg_len}) for {@code SOL_SOCKET/SCM_TIMESTAMPNS}; its {@code
     * struct timespec} in ns, or -1.
     */
    static long timestampIn(MemorySegment control, long from, long length) {
        long at = from;
        long end = from + Math.max(0, length);
        while (at + CMSG_HEADER <= end) {
            long cmsgLength = control.get(ValueLayout.JAVA_LONG, at);
            if (cmsgLength < CMSG_HEADER || at + cmsgLength > end) {
                return -1;
            }
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (level == SOL_SOCKET && type == SCM_TIMESTAMPNS && cmsgLength >= CMSG_HEADER + 16) {
                return control.get(ValueLayout.JAVA_LONG, at + CMSG_HEADER) * 1_000_000_000L
                        + control.get(ValueLayout.JAVA_LONG, at + CMSG_HEADER + 8);
            }
            at += (cmsgLength + 7) & ~7L;
        }
        return -1;
    }

    /** The length of received datagram {@code i} (cut to {@link #SLOT} when it was longer). */
    int length(int i) {
        return Math.min(SLOT, headers.get(ValueLayout.JAVA_INT, i * MMSGHDR + MSG_LEN));
    }

    /** The sender's port of received datagram {@code i} ({@code sin_port}/{@code sin6_port}: network order). */
    int sourcePort(int i) {
        long at = i * SOCKADDR + 2;
        return (names.get(ValueLayout.JAVA_BYTE, at) & 0xFF) << 8 | (names.get(ValueLayout.JAVA_BYTE, at + 1) & 0xFF);
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
        arena.close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        try {
            RELEASE.invokeExact(sendArray);
        } catch (Throwable e) {
            // closing anyway
        }
    }
}
