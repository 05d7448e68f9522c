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
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media UDP socket driven through the event loop's io_uring (Netty's {@code IoUringIoHandler}) instead of epoll
 * and one system call per datagram: each socket keeps one {@code IORING_OP_RECVMSG} outstanding, and each relayed
 * datagram is an {@code IORING_OP_SENDMSG}; the loop hands the kernel all the receives it re-arms and all the sends
 * of one pass in a single {@code io_uring_enter}. Same contract as {@link NativeUdpSocket} (the relay cannot tell
 * them apart): datagrams go to the {@link NativeUdpSocket.Listener} with their sender from a {@link SenderCache},
 * longer ones cut at {@link ReceiveBuffer#CAPACITY}.
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>one receive outstanding per socket, in the socket's own native block (message header, address,
 *       buffer), armed with {@code IORING_RECVSEND_POLL_FIRST}</td><td>the kernel writes into that memory when a
 *       datagram arrives; a socket just read is nearly always empty, so trying the receive at once would only
 *       cost a failed attempt before the poll</td></tr>
 *   <tr><td>a send copies the datagram into one of the loop's send slots ({@link SendSlots}), freed at its
 *       completion; with no slot free, a plain {@code sendto} ({@link DirectSend})</td><td>the kernel reads the
 *       octets when it issues the request, after this method returns</td></tr>
 *   <tr><td>closing or moving cancels the outstanding receive and closes the descriptor only at its completion
 *       </td><td>a request in flight holds the file: closed earlier, the port would stay bound (and the kernel
 *       could still write into memory being reused)</td></tr>
 * </table>
 */
public final class UringUdpSocket implements LoopSocket, IoUringIoHandle {
    private static final Logger log = LoggerFactory.getLogger(UringUdpSocket.class);

    // <linux/io_uring.h>
    private static final byte IORING_OP_SENDMSG = 9;
    private static final byte IORING_OP_RECVMSG = 10;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final short IORING_RECVSEND_POLL_FIRST = 1;
    private static final int ECANCELED = 125;
    // <sys/socket.h>, <netinet/in.h>
    private static final short AF_INET = 2;
    private static final short AF_INET6 = 10;

    /** The {@code data} of a receive's completion; a send's is its slot (0 and up), a cancel's this minus one. */
    private static final short RECEIVE = -1;
    private static final short CANCEL = -2;

    // The socket's native block: struct msghdr, struct iovec, struct sockaddr_in6, then the datagram.
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
    private final ByteBuffer block;
    private final long address;
    private final ByteBuf content;
    private final byte[] sender = new byte[16];
    private IoEventLoop loop;
    private IoRegistration registration;
    private NativeUdpSocket.Listener listener;
    /** The outstanding receive's id (for a cancel), or 0 when none is. */
    private long receiving;
    /** What to do once the outstanding receive is over (cancelled or completed), or null. */
    private Runnable afterReceive;
    private boolean closed;

    private UringUdpSocket(LinuxSocket socket, int localPort) {
        this.socket = socket;
        this.fd = socket.intValue();
        this.ipv6 = NativeReceive.isIpv6(socket);
        this.localPort = localPort;
        this.block = ByteBuffer.allocateDirect(DATA + ReceiveBuffer.CAPACITY).order(ByteOrder.nativeOrder());
        this.address = Buffer.memoryAddress(block);
        ByteBuffer data = block.slice(DATA, ReceiveBuffer.CAPACITY);
        this.content = Unpooled.wrappedBuffer(data);
        block.putLong(MSGHDR, address + NAME); // msg_name
        block.putLong(MSGHDR + 16, address + IOVEC); // msg_iov
        block.putLong(MSGHDR + 24, 1); // msg_iovlen
        block.putLong(IOVEC, address + DATA); // iov_base
        block.putLong(IOVEC + 8, ReceiveBuffer.CAPACITY); // iov_len
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
            return null;
        } catch (LinkageError e) {
            return "io_uring not on the class path: " + e;
        }
    }

    /** As {@link NativeUdpSocket#bind}. */
    public static UringUdpSocket bind(InetSocketAddress local) throws IOException {
        LinuxSocket socket = LinuxSocket.newSocketDgram();
        try {
            InetSocketAddress at = local;
            if (local.getAddress().isAnyLocalAddress() && local.getAddress() instanceof Inet4Address
                    && NativeReceive.isIpv6(socket)) {
                at = new InetSocketAddress(Inet6Address.getByAddress(null, new byte[16], 0), local.getPort());
            }
            socket.bind(at);
            return new UringUdpSocket(socket, socket.localAddress().getPort());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int localPort() {
        return localPort;
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
        block.putInt(MSGHDR + 8, NAME_LENGTH); // msg_namelen: the kernel leaves the sender's length here
        long id = r.submit(new IoUringIoOps(IORING_OP_RECVMSG, (byte) 0, IORING_RECVSEND_POLL_FIRST, fd, 0L,
                address + MSGHDR, 1, 0, RECEIVE, (short) 0, (short) 0, 0, 0L));
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
        if (data == CANCEL) {
            return; // the cancelled receive reports on its own
        }
        receiving = 0;
        int read = e.res();
        if (read >= 0) {
            deliver(read);
        } else if (read != -ECANCELED) {
            log.debug("{}: receive failed ({})", this, read);
        }
        Runnable after = afterReceive;
        if (after != null) {
            afterReceive = null;
            after.run(); // moving or closing: no new receive here
        } else if (!closed) {
            receive();
        }
    }

    private void deliver(int read) {
        NativeUdpSocket.Listener l = listener;
        if (l == null) {
            return;
        }
        int family = block.getShort(NAME) & 0xFFFF;
        int port = Short.toUnsignedInt(Short.reverseBytes(block.getShort(NAME + 2)));
        int length;
        int scope = 0;
        if (family == AF_INET6) {
            block.get(NAME + 8, sender, 0, 16);
            if (isV4Mapped(sender)) {
                System.arraycopy(sender, 12, sender, 0, 4);
                length = 4;
            } else {
                length = 16;
                scope = block.getInt(NAME + 24);
            }
        } else if (family == AF_INET) {
            block.get(NAME + 4, sender, 0, 4);
            length = 4;
        } else {
            return;
        }
        InetSocketAddress from = senders.resolve(sender, length, scope, port);
        if (from != null) {
            content.setIndex(0, read);
            l.onDatagram(content, from);
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
        SendSlots slots = SendSlots.current();
        int slot = r == null || length > ReceiveBuffer.CAPACITY ? -1 : slots.take();
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
     * The calling loop's send slots: native blocks (message header, iovec, address, datagram) that a submitted
     * {@code sendmsg} reads from until its completion.
     */
    static final class SendSlots {
        static final int SLOTS = 4096;
        private static final int SLOT = DATA + ReceiveBuffer.CAPACITY;

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
