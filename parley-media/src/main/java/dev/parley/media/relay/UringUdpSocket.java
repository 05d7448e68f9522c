package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Buffer;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media UDP socket driven through the event loop's io_uring (Netty's {@code IoUringIoHandler}) instead of epoll
 * and one system call per datagram: each socket keeps one multishot {@code IORING_OP_RECVMSG} armed, which posts a
 * completion for every datagram into a buffer of the loop's provided group ({@link ReceiveBuffers}), and each
 * relayed datagram is an {@code IORING_OP_SENDMSG}; the loop hands the kernel all the sends and buffer returns of
 * one pass in a single {@code io_uring_enter}. Same contract as {@link NativeUdpSocket} (the relay cannot tell them
 * apart): datagrams go to the {@link NativeUdpSocket.Listener} with their sender from a {@link SenderCache}, longer
 * ones cut at {@link ReceiveBuffer#CAPACITY}.
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>one multishot receive per socket, re-armed whenever the kernel ends it (no buffer free, an error)
 *       </td><td>armed once it stays on the socket's wait queue, as an epoll registration does; a single-shot
 *       receive would be armed and disarmed for every datagram</td></tr>
 *   <tr><td>a datagram's buffer goes back to the group once the listener returned, in runs of consecutive
 *       buffers ({@code IORING_OP_PROVIDE_BUFFERS})</td><td>the kernel hands the group's buffers out in the order
 *       they were given, so the buffers of one pass come back as a few runs, not one request each</td></tr>
 *   <tr><td>a send copies the datagram into one of the loop's send slots ({@link SendSlots}), freed at its
 *       completion; with no slot free, a plain {@code sendto} ({@link DirectSend})</td><td>the kernel reads the
 *       octets when it issues the request, after this method returns</td></tr>
 *   <tr><td>IPv4 datagrams with DF set and IP ID 0 up to 1,200 octets</td><td>{@link DontFragment}</td></tr>
 *   <tr><td>closing or moving cancels the receive and closes the descriptor only at its last completion</td>
 *       <td>a request in flight holds the file: closed earlier, the port would stay bound</td></tr>
 * </table>
 */
public final class UringUdpSocket implements LoopSocket, IoUringIoHandle {
    private static final Logger log = LoggerFactory.getLogger(UringUdpSocket.class);

    // <linux/io_uring.h>
    private static final byte IORING_OP_SENDMSG = 9;
    private static final byte IORING_OP_RECVMSG = 10;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final byte IORING_OP_PROVIDE_BUFFERS = 31;
    private static final byte IOSQE_BUFFER_SELECT = 1 << 5;
    private static final short IORING_RECV_MULTISHOT = 1 << 1;
    private static final int IORING_CQE_F_BUFFER = 1;
    private static final int IORING_CQE_F_MORE = 1 << 1;
    private static final int IORING_CQE_BUFFER_SHIFT = 16;
    private static final int ECANCELED = 125;
    private static final int ENOBUFS = 105;
    // <sys/socket.h>, <netinet/in.h>
    private static final short AF_INET = 2;
    private static final short AF_INET6 = 10;

    /** The {@code data} of a receive's completions; a send's is its slot (0 and up). */
    private static final short RECEIVE = -1;
    private static final short CANCEL = -2;
    private static final short PROVIDE = -3;

    // A send slot: struct msghdr, struct iovec, struct sockaddr_in6, then the datagram.
    static final int MSGHDR = 0;
    static final int IOVEC = 56;
    static final int NAME = 72;
    static final int NAME_LENGTH = 28;
    static final int DATA = 128;

    private final LinuxSocket socket;
    private final int fd;
    private final boolean ipv6;
    private final int localPort;
    private final SenderCache senders = new SenderCache();
    private final DontFragment dontFragment;
    private IoEventLoop loop;
    private IoRegistration registration;
    private NativeUdpSocket.Listener listener;
    /** The armed receive's id (for a cancel), or 0 when none is. */
    private long receiving;
    /** What to do once the outstanding receive is over (cancelled or completed), or null. */
    private Runnable afterReceive;
    private boolean closed;

    private UringUdpSocket(LinuxSocket socket, int localPort) {
        this.socket = socket;
        this.fd = socket.intValue();
        this.ipv6 = NativeReceive.isIpv6(socket);
        this.localPort = localPort;
        this.dontFragment = new DontFragment(socket);
    }

    /** Null when io_uring can drive media sockets here, else why not. */
    public static String unavailable() {
        if (NativeReceive.UNAVAILABLE != null) {
            return NativeReceive.UNAVAILABLE;
        }
        try {
            if (!io.netty.channel.uring.IoUring.isAvailable()) {
                return "io_uring unavailable: " + io.netty.channel.uring.IoUring.unavailabilityCause();
            }
            if (!io.netty.channel.uring.IoUring.isRecvMultishotEnabled()) {
                return "io_uring without multishot receive (Linux 6.0 and later have it)";
            }
            return null;
        } catch (LinkageError e) {
            return "io_uring not on the class path: " + e;
        }
    }

    /** As {@link NativeUdpSocket#bind}. */
    public static UringUdpSocket bind(InetSocketAddress local) throws IOException {
        LinuxSocket socket = NativeUdpSocket.boundSocket(local);
        return new UringUdpSocket(socket, socket.localAddress().getPort());
    }

    public int localPort() {
        return localPort;
    }

    /** The socket's DF rule; for tests. */
    DontFragment dontFragment() {
        return dontFragment;
    }

    /** As {@link NativeUdpSocket#register}: on the loop, {@code done} gets null or the failure. */
    @Override
    public void register(IoEventLoop on, NativeUdpSocket.Listener to, Consumer<Throwable> done) {
        this.listener = to;
        on.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                done.accept(f.cause());
                return;
            }
            this.loop = on;
            this.registration = (IoRegistration) f.getNow();
            done.accept(receive() ? null : new IOException("io_uring refused the receive"));
        });
    }

    private boolean receive() {
        IoRegistration r = registration;
        if (r == null || closed) {
            return false;
        }
        ReceiveBuffers buffers = ReceiveBuffers.current();
        buffers.provideOnce(r);
        long id = r.submit(new IoUringIoOps(IORING_OP_RECVMSG, IOSQE_BUFFER_SELECT, IORING_RECV_MULTISHOT, fd, 0L,
                buffers.header(), 1, 0, RECEIVE, ReceiveBuffers.GROUP, (short) 0, 0, 0L));
        receiving = id > 0 ? id : 0;
        return id > 0;
    }

    @Override
    public void handle(IoRegistration r, IoEvent event) {
        IoUringIoEvent e = (IoUringIoEvent) event;
        short data = e.data();
        if (data >= 0) {
            SendSlots.current().free(data);
            return;
        }
        if (data != RECEIVE) {
            if (data == PROVIDE && e.res() < 0) {
                log.debug("{}: buffers not taken back by the kernel ({})", this, e.res());
            }
            return; // a cancel's or a buffer return's own completion: the receive reports on its own
        }
        int flags = e.flags();
        int result = e.res();
        if ((flags & IORING_CQE_F_BUFFER) != 0) {
            ReceiveBuffers buffers = ReceiveBuffers.current();
            int buffer = flags >>> IORING_CQE_BUFFER_SHIFT;
            if (result >= 0) {
                deliver(buffers, buffer);
            }
            buffers.giveBack(r, buffer);
        } else if (result < 0 && result != -ECANCELED && result != -ENOBUFS) {
            log.debug("{}: receive ended ({})", this, result);
        }
        if ((flags & IORING_CQE_F_MORE) != 0) {
            return; // still armed
        }
        receiving = 0;
        Runnable after = afterReceive;
        if (after != null) {
            afterReceive = null;
            after.run(); // moving or closing: not armed again here
        } else if (result == -ENOBUFS) {
            // Every buffer of the group is in a completion not yet handled: the datagrams wait in the socket's
            // queue meanwhile; armed again a little later, so that a group that stays empty cannot spin the loop.
            ReceiveBuffers.current().flush(r);
            loop.schedule(this::rearm, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        } else if (!closed) {
            receive();
        }
    }

    private void rearm() {
        if (receiving == 0 && afterReceive == null && !closed && loop != null && loop.inEventLoop()) {
            receive();
        }
    }

    private void deliver(ReceiveBuffers buffers, int buffer) {
        NativeUdpSocket.Listener l = listener;
        if (l == null) {
            return;
        }
        InetSocketAddress from = buffers.sender(buffer, senders);
        if (from != null) {
            l.onDatagram(buffers.payload(buffer), from);
        }
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override
    public boolean send(PacketBuffer p, SendAddress to) {
        if (closed) {
            return false;
        }
        if (loop == null || !loop.inEventLoop()) {
            byte[] copy = new byte[p.length()];
            System.arraycopy(p.array(), p.offset(), copy, 0, copy.length);
            if (loop == null) {
                return Workspace.current().directSend.send(socket, copy, 0, copy.length, to);
            }
            loop.execute(() -> sendNow(copy, 0, copy.length, to));
            return true;
        }
        return sendNow(p.array(), p.offset(), p.length(), to);
    }

    @Override
    public void send(byte[] array, int offset, int length, InetSocketAddress to) {
        send(new PacketBuffer(array, offset, length), SendAddress.of(to));
    }

    private boolean sendNow(byte[] array, int offset, int length, SendAddress to) {
        IoRegistration r = registration;
        if (closed || !socket.isOpen()) {
            return false;
        }
        dontFragment.beforeSend(length);
        SendSlots slots = SendSlots.current();
        int slot = r == null || length > SendSlots.LONGEST ? -1 : slots.take();
        if (slot < 0) {
            return Workspace.current().directSend.send(socket, array, offset, length, to);
        }
        long header = slots.fill(slot, array, offset, length, to, ipv6);
        long id = r.submit(new IoUringIoOps(IORING_OP_SENDMSG, (byte) 0, (short) 0, fd, 0L, header, 1, 0,
                (short) slot, (short) 0, (short) 0, 0, 0L));
        if (id <= 0) {
            slots.free(slot);
            return false;
        }
        return true;
    }

    /** Cancels the outstanding receive, then runs {@code then} (at once when none is outstanding). */
    private void stopReceiving(Runnable then) {
        IoRegistration r = registration;
        if (receiving == 0 || r == null) {
            then.run();
            return;
        }
        afterReceive = then;
        r.submit(new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, receiving, 0, 0, CANCEL,
                (short) 0, (short) 0, 0, 0L));
    }

    @Override
    public void moveTo(MediaLoop target, Consumer<Boolean> moved) {
        stopReceiving(() -> {
            IoRegistration old = registration;
            registration = null;
            loop = null;
            if (old != null) {
                old.cancel();
            }
            register((IoEventLoop) target.eventLoop(), listener, failure -> {
                if (failure != null) {
                    log.debug("media socket on port {} could not join its new loop: {}", localPort,
                            failure.toString());
                }
                moved.accept(failure == null);
            });
        });
    }

    @Override
    public void close(Runnable done) {
        if (closed) {
            done.run();
            return;
        }
        listener = null;
        stopReceiving(() -> {
            closeNow();
            done.run();
        });
    }

    /** Netty calls this for handles still registered when the loop shuts down (the ring goes with it). */
    @Override
    public void close() {
        listener = null;
        closeNow();
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        IoRegistration r = registration;
        registration = null;
        if (r != null) {
            r.cancel();
        }
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing media socket on port {}: {}", localPort, e.toString());
        }
    }

    @Override
    public String toString() {
        return "io_uring media socket on port " + localPort;
    }

    /**
     * The calling loop's group of receive buffers (one io_uring per loop, so one group each), handed to the kernel
     * with {@code IORING_OP_PROVIDE_BUFFERS}: a multishot receive takes one per datagram and writes, RFC-less but as
     * {@code struct io_uring_recvmsg_out} says, a 16-octet header (name length, control length, payload length,
     * flags), the sender ({@link #NAME_LENGTH} octets as the message header asks), then the payload.
     */
    static final class ReceiveBuffers {
        static final short GROUP = 7;
        static final int COUNT = 1024;
        private static final int OUT_HEADER = 16;
        private static final int PAYLOAD = OUT_HEADER + NAME_LENGTH;
        private static final int SIZE = PAYLOAD + ReceiveBuffer.CAPACITY;
        /** How many buffers taken back wait before they go back in one pass (a few requests: they are in runs). */
        private static final int RUN = 32;

        private static final FastThreadLocal<ReceiveBuffers> PER_THREAD = new FastThreadLocal<>() {
            @Override
            protected ReceiveBuffers initialValue() {
                return new ReceiveBuffers();
            }
        };

        /** The receive's message header (only its name length matters) and the buffers after it. */
        private final ByteBuffer memory = ByteBuffer.allocateDirect(64 + COUNT * SIZE).order(ByteOrder.nativeOrder());
        private final long header = Buffer.memoryAddress(memory);
        private final long base = header + 64;
        private final ByteBuf view = Unpooled.wrappedBuffer(memory.duplicate());
        private final byte[] sender = new byte[16];
        private boolean provided;
        /** Buffers the relay is done with, not yet handed back (never more than {@link #RUN}, unless refused). */
        private final int[] returned = new int[COUNT];
        private int returnedCount;

        private ReceiveBuffers() {
            memory.putLong(MSGHDR, header + 56); // msg_name: written to the buffer instead, but not null
            memory.putInt(MSGHDR + 8, NAME_LENGTH); // msg_namelen: the room for the sender in each buffer
        }

        static ReceiveBuffers current() {
            return PER_THREAD.get();
        }

        long header() {
            return header;
        }

        /** Hands the whole group to this loop's ring, the first time a socket arms a receive on it. */
        void provideOnce(IoRegistration r) {
            if (!provided) {
                provided = true;
                provide(r, 0, COUNT);
            }
        }

        private long provide(IoRegistration r, int first, int count) {
            // sqe: fd = how many, addr = the first one's address, len = each one's size, off = the first's id
            return r.submit(new IoUringIoOps(IORING_OP_PROVIDE_BUFFERS, (byte) 0, (short) 0, count, first,
                    base + (long) first * SIZE, SIZE, 0, PROVIDE, GROUP, (short) 0, 0, 0L));
        }

        /** Takes {@code buffer} back for the kernel; sent with others once {@link #RUN} are waiting. */
        void giveBack(IoRegistration r, int buffer) {
            returned[returnedCount++] = buffer;
            if (returnedCount >= RUN) {
                flush(r);
            }
        }

        /** Hands every buffer taken back to the kernel, one request per run of consecutive ones. */
        void flush(IoRegistration r) {
            int kept = 0;
            int i = 0;
            while (i < returnedCount) {
                int first = returned[i];
                int j = i + 1;
                while (j < returnedCount && returned[j] == first + (j - i)) {
                    j++;
                }
                if (provide(r, first, j - i) <= 0) {
                    for (int k = i; k < j; k++) {
                        returned[kept++] = returned[k]; // the registration is gone: another one sends them
                    }
                }
                i = j;
            }
            returnedCount = kept;
        }

        /** The sender of the datagram in {@code buffer}, as {@code senders} knows it; null when not IP. */
        InetSocketAddress sender(int buffer, SenderCache senders) {
            int at = 64 + buffer * SIZE + OUT_HEADER;
            int family = memory.getShort(at) & 0xFFFF;
            int port = Short.toUnsignedInt(Short.reverseBytes(memory.getShort(at + 2)));
            if (family == AF_INET6) {
                memory.get(at + 8, sender, 0, 16);
                if (isV4Mapped(sender)) {
                    System.arraycopy(sender, 12, sender, 0, 4);
                    return senders.resolve(sender, 4, 0, port);
                }
                return senders.resolve(sender, 16, memory.getInt(at + 24), port);
            }
            if (family == AF_INET) {
                memory.get(at + 4, sender, 0, 4);
                return senders.resolve(sender, 4, 0, port);
            }
            return null;
        }

        /** The datagram in {@code buffer}: readable from its first octet, cut at the buffer's room. */
        ByteBuf payload(int buffer) {
            int at = 64 + buffer * SIZE;
            int length = Math.min(memory.getInt(at + 8), ReceiveBuffer.CAPACITY);
            return view.setIndex(at + PAYLOAD, at + PAYLOAD + length);
        }
    }

    /**
     * The calling loop's send slots: native blocks (message header, iovec, address, datagram) that a submitted
     * {@code sendmsg} reads from until its completion. More sends in one pass than slots, or a datagram longer
     * than a slot: a plain {@code sendto}.
     */
    static final class SendSlots {
        static final int SLOTS = 2048;
        /** The longest datagram a slot holds (an Ethernet MTU's worth); a longer one goes by plain sendto. */
        static final int LONGEST = 1500;
        private static final int SLOT = DATA + LONGEST;

        private static final FastThreadLocal<SendSlots> PER_THREAD = new FastThreadLocal<>() {
            @Override
            protected SendSlots initialValue() {
                return new SendSlots();
            }
        };

        private final ByteBuffer memory = ByteBuffer.allocateDirect(SLOTS * SLOT).order(ByteOrder.nativeOrder());
        private final long base = Buffer.memoryAddress(memory);
        private final int[] free = new int[SLOTS];
        private int freeCount;

        private SendSlots() {
            for (int i = 0; i < SLOTS; i++) {
                free[freeCount++] = SLOTS - 1 - i;
                int at = i * SLOT;
                memory.putLong(at + MSGHDR, base + at + NAME);
                memory.putLong(at + MSGHDR + 16, base + at + IOVEC);
                memory.putLong(at + MSGHDR + 24, 1);
                memory.putLong(at + IOVEC, base + at + DATA);
            }
        }

        static SendSlots current() {
            return PER_THREAD.get();
        }

        int take() {
            return freeCount == 0 ? -1 : free[--freeCount];
        }

        void free(int slot) {
            free[freeCount++] = slot;
        }

        /** Slots not in flight; for tests. */
        int available() {
            return freeCount;
        }

        /** Copies the datagram and its destination into {@code slot}; returns the message header's address. */
        long fill(int slot, byte[] array, int offset, int length, SendAddress to, boolean ipv6Socket) {
            int at = slot * SLOT;
            memory.put(at + DATA, array, offset, length);
            memory.putLong(at + IOVEC + 8, length);
            byte[] octets = to.octets();
            short port = Short.reverseBytes((short) to.port());
            if (ipv6Socket || to.ipv6()) {
                memory.putShort(at + NAME, AF_INET6);
                memory.putShort(at + NAME + 2, port);
                memory.putInt(at + NAME + 4, 0); // flow info
                memory.put(at + NAME + 8, octets, 0, 16);
                memory.putInt(at + NAME + 24, to.scopeId());
                memory.putInt(at + MSGHDR + 8, NAME_LENGTH);
            } else {
                memory.putShort(at + NAME, AF_INET);
                memory.putShort(at + NAME + 2, port);
                memory.put(at + NAME + 4, octets, 12, 4);
                memory.putLong(at + NAME + 8, 0);
                memory.putInt(at + MSGHDR + 8, 16);
            }
            return base + at + MSGHDR;
        }
    }
}
