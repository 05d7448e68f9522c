package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media UDP socket registered on a Netty epoll event loop as an I/O handle of its own, without a Netty channel.
 * Per received datagram a channel builds an {@code InetSocketAddress}, an {@code Inet4Address} with its holder and
 * a {@code DatagramPacket}, and walks its pipeline (a third of what the relay still allocated per packet, and ~9 % of
 * its samples, at 1000 SRTP calls); per call its four channels, pipelines and configs (~3.6 KB) were part of what
 * the set-up young collections copy. Here a datagram is read with {@code recvmsg} into the loop's one buffer
 * ({@link NativeReceive}), its sender compared with the two it last saw ({@link SenderCache}: an address object is
 * made only for a new source), and handed to the {@link Listener}: no object per datagram.
 *
 * <table>
 *   <caption>rules</caption>
 *   <tr><th>rule</th><th>why</th></tr>
 *   <tr><td>level-triggered {@code EPOLLIN}, one datagram per readiness event</td><td>a socket with a datagram
 *       queued is reported again by the next {@code epoll_wait}, so one read per event never costs the
 *       {@code EAGAIN} read that an edge-triggered socket needs to learn it is empty (a relay socket seldom holds
 *       more than one datagram), and a flooded socket cannot keep the loop from the others</td></tr>
 *   <tr><td>datagrams longer than {@link Workspace#MAX_DATAGRAM} arrive cut at one octet more</td><td>the relay
 *       drops them whole ({@link ReceiveBuffer#CAPACITY})</td></tr>
 *   <tr><td>everything on the loop it is registered on; {@link #moveTo} leaves one loop and joins another; one
 *       exception: the thread that took a resting pair from {@link ReadyPairs} drains it ({@link #drain}) and
 *       {@link #claim}s it, while no one else holds the pair and the loop only reads and drops</td>
 *       <td>the descriptor cannot be closed (and its number reused) under a read or a send</td></tr>
 *   <tr><td>resting ({@link #rest}): no listener, still registered for {@code EPOLLIN}; what arrives is read and
 *       dropped</td><td>an idle pair ({@link IdlePairs}) is parked and reused with no system call (no
 *       {@code epoll_ctl}), and the kernel holds no more of what is sent to it than of a live endpoint's socket</td>
 *       </tr>
 *   <tr><td>IPv4 datagrams with DF set and IP ID 0 up to 1,200 octets</td><td>{@link DontFragment}</td></tr>
 *   <tr><td>{@link #connect}ed to one peer on its endpoint's word only, disconnected at {@link #rest}</td><td>sends
 *       to that peer skip the route lookup; the endpoint decides when its latch allows it
 *       ({@link Endpoint#connectRtpSocketWhenLatched})</td></tr>
 *   <tr><td>bound to a wildcard: connected only while reading the peer's datagram, and only when the local address
 *       the kernel fixes for the peer is the one that datagram was sent to</td><td>else the peer's next datagrams
 *       would be refused ({@link #connect})</td></tr>
 * </table>
 */
public final class NativeUdpSocket implements MediaSocket, EpollIoHandle {
    private static final Logger log = LoggerFactory.getLogger(NativeUdpSocket.class);

    /** What a socket hands each datagram to, on its loop; {@code content} is valid only during the call. */
    @FunctionalInterface
    public interface Listener {
        void onDatagram(ByteBuf content, InetSocketAddress from);
    }

    private final LinuxSocket socket;
    private final int fd;
    private final boolean ipv6;
    /**
     * False from {@link #close} on: the send path reads this, {@link #fd} and {@link #ipv6}, fields of this object,
     * and not the Netty socket object behind them (one cold object fewer per packet in a relay of thousands of
     * sockets). Volatile for {@link #send} from another thread, which checks again on the loop.
     */
    private volatile boolean open = true;
    private final int localPort;
    /**
     * Bound to a port it asked for, not 0: only such a socket may {@link #connect}; one whose port the kernel chose
     * loses it at {@link #disconnect} ({@code __udp_disconnect} keeps only a port that was asked for).
     */
    private final boolean mayConnect;
    /**
     * Bound to a wildcard address. Its {@code connect} also fixes its local address, to the source of the route to
     * the peer ({@code ip4_datagram_connect}), until the disconnect gives the wildcard back ({@code __udp_disconnect}:
     * the address was not locked by the bind); so it connects only when that is the address the peer sends to
     * ({@link #connect}).
     */
    private final boolean wildcard;
    /** {@code IP_RECVORIGDSTADDR} is on: reads learn where each IPv4 datagram went ({@link #watchArrivalAddress}). */
    private boolean watchesArrival;
    /**
     * A datagram read with its addresses is being handed to the listener: {@link NativeReceive#current()} holds where
     * it was sent, which a wildcard socket's {@link #connect} from inside the listener checks.
     */
    private boolean delivering;
    /** {@link #watchesArrival} was switched off for the current call's peer ({@link #connect}), on again at rest. */
    private boolean watchOffForThisCall;
    /** Connects a wildcard socket refused because the peer sends to another local address; for tests and stats. */
    private long connectsRefusedByAddress;
    private final SenderCache senders = new SenderCache();
    private final DontFragment dontFragment;
    private IoEventLoop loop;
    private IoRegistration registration;
    private Listener listener;
    /**
     * Set from any thread when a resting socket was handed to a new endpoint without a round trip through its loop
     * ({@link ReadyPairs}): the loop runs it (it gives the socket its listener) before it hands on a datagram read
     * after it saw this set, so that none of the new call's first datagrams is dropped as a resting socket's.
     */
    private volatile Runnable claim;
    private long readErrors;
    /** The peer it is {@code connect}ed to (the very object {@link #send} compares its target with), or null. */
    private InetSocketAddress connectedPeer;
    /**
     * Connected, and the datagrams queued before the connect (from anyone) have been read: reads skip the sender's
     * address ({@link NativeReceive#readFromPeer}) and hand on {@link #connectedPeer}.
     */
    private boolean onlyPeerQueued;
    /** Datagrams read and dropped while resting (read on the loop only). */
    private long droppedResting;
    /**
     * The {@code SO_RCVBUF} it had before a datagram reached it resting and shrank it ({@link #shrinkWhileResting}),
     * or 0 when it has its own size.
     */
    private int receiveBufferBeforeRest;

    private NativeUdpSocket(LinuxSocket socket, int localPort, boolean mayConnect, boolean wildcard) {
        this.socket = socket;
        this.fd = socket.intValue();
        this.ipv6 = NativeReceive.isIpv6(socket);
        this.localPort = localPort;
        this.mayConnect = mayConnect;
        this.wildcard = wildcard;
        this.dontFragment = new DontFragment(socket);
    }

    /** The socket's DF rule; for tests. */
    DontFragment dontFragment() {
        return dontFragment;
    }

    /** Null when sockets of this kind can be used here (epoll, Netty's internals reachable), else why not. */
    public static String unavailable() {
        return NativeReceive.UNAVAILABLE;
    }

    /**
     * A non-blocking UDP socket bound to {@code local}. Bound to one IPv4 address it is an IPv4 socket: an IPv6
     * socket bound to that address's IPv4-mapped form could not reach an IPv6 peer either, and every datagram it
     * sends or reads would go through the kernel's IPv6 layer first ({@code udpv6_sendmsg}, {@code udpv6_recvmsg},
     * ~0.3 µs a relayed packet on the AMD host of 7 December; docs/benchmarks.md). Bound to a wildcard or an IPv6
     * address it is an IPv6 socket taking IPv4 too where the host prefers IPv6, as Netty's epoll datagram channel
     * makes it. Throws when the port is taken.
     */
    public static NativeUdpSocket bind(InetSocketAddress local) throws IOException {
        return bind(local, false);
    }

    /**
     * {@link #bind(InetSocketAddress)}, and with {@code ipv4Only} the IPv4 wildcard {@code 0.0.0.0} too is an IPv4
     * socket (for a media plane that advertises an IPv4 address, whose peers all send over IPv4). Besides the IPv6
     * layer's cost, a dual-stack socket {@link #connect}ed to an IPv4 peer gains little: {@code udpv6_sendmsg} hands
     * an IPv4-mapped destination to {@code udp_sendmsg} as an explicit address even when connected, so every send
     * still looks its route up; only the reads skip the sender.
     */
    public static NativeUdpSocket bind(InetSocketAddress local, boolean ipv4Only) throws IOException {
        boolean ipv4 = local.getAddress() instanceof Inet4Address
                && (ipv4Only || !local.getAddress().isAnyLocalAddress());
        LinuxSocket socket = ipv4 ? LinuxSocket.newSocketDgram(false) : LinuxSocket.newSocketDgram();
        try {
            InetSocketAddress at = local;
            if (local.getAddress().isAnyLocalAddress() && local.getAddress() instanceof Inet4Address
                    && NativeReceive.isIpv6(socket)) {
                // As EpollDatagramChannel.doBind: 0.0.0.0 on a dual-stack socket is :: (IPv6 peers too).
                at = new InetSocketAddress(Inet6Address.getByAddress(null, new byte[16], 0), local.getPort());
            }
            socket.bind(at);
            return new NativeUdpSocket(socket, socket.localAddress().getPort(), local.getPort() != 0,
                    local.getAddress().isAnyLocalAddress());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int localPort() {
        return localPort;
    }

    /**
     * Registers on {@code loop} and reads into {@code listener}; {@code done} runs on the loop with null, or the
     * failure (the socket is left as it was: close it).
     */
    public void register(IoEventLoop loop, Listener listener, Consumer<Throwable> done) {
        this.listener = listener;
        loop.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                done.accept(f.cause());
                return;
            }
            this.loop = loop;
            this.registration = (IoRegistration) f.getNow();
            done.accept(readable() ? null : new IOException("epoll_ctl refused EPOLLIN"));
        });
    }

    private boolean readable() {
        IoRegistration r = registration;
        try {
            return r != null && r.submit(EpollIoOps.EPOLLIN) >= 0;
        } catch (RuntimeException e) {
            log.debug("epoll_ctl on {}: {}", this, e.toString());
            return false;
        }
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        NativeReceive receive = NativeReceive.current();
        InetSocketAddress peer = connectedPeer;
        if (peer != null && onlyPeerQueued) {
            // Connected, and what was queued before the connect was read: every datagram is the peer's
            int read = receive.readFromPeer(fd);
            Listener l = listener;
            if (read < 0) {
                readErrors++; // EAGAIN, or the peer's host refused an earlier packet (ICMP): nothing to relay
            } else if (l != null) {
                l.onDatagram(receive.content(), peer);
            }
            return;
        }
        // Read before the datagram is: a claim set after this read belongs to a datagram the claimer's drain did not
        // see, and what this read takes may be older than that drain (ReadyPairs.take)
        Runnable claimedBefore = listener == null ? claim : null;
        if (claimedBefore != null) {
            claimedBefore.run();
        }
        if (!readOne(receive) || connectedPeer == null) {
            return;
        }
        // Just connected (the listener connected it, or an earlier one did): what was queued before the connect may
        // come from anyone, so it is read with its sender's address until the queue is empty once; from then on
        // only the peer's datagrams are queued and reads skip the address. Bounded, so that one socket cannot hold
        // the loop: the next readiness event goes on.
        for (int i = 0; i < DRAIN_AFTER_CONNECT && connectedPeer != null && !onlyPeerQueued; i++) {
            int read = receive.read(fd, ipv6);
            if (read == Errors.ERRNO_EAGAIN_NEGATIVE) {
                onlyPeerQueued = NativeReceive.readsWithoutSender();
                return;
            }
            if (read < 0) {
                readErrors++;
                return;
            }
            deliver(receive);
        }
    }

    /** Datagrams read with their addresses after a connect before reads skip them (see {@link #handle}). */
    private static final int DRAIN_AFTER_CONNECT = 16;

    /** One {@code recvmsg}, handed on with its sender; false when nothing was read. */
    private boolean readOne(NativeReceive receive) {
        int read = receive.read(fd, ipv6);
        if (read < 0) {
            // EAGAIN (nothing queued after all) or an error the kernel reported for this socket: nothing to relay
            readErrors++;
            return false;
        }
        deliver(receive);
        return true;
    }

    private void deliver(NativeReceive receive) {
        Listener l = listener;
        if (l == null) {
            droppedResting++; // resting: dropped (see IdlePairs)
            if (receiveBufferBeforeRest == 0) {
                shrinkWhileResting();
            }
            return;
        }
        InetSocketAddress from = senders.resolve(receive.senderOctets(), receive.senderLength(),
                receive.senderScope(), receive.senderPort());
        if (from != null) {
            delivering = true;
            try {
                l.onDatagram(receive.content(), from);
            } finally {
                delivering = false;
            }
        }
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** Whether it is open and registered on {@code loop}, and this is that loop's thread. */
    boolean servesOn(IoEventLoop expected) {
        return socket.isOpen() && registration != null && registration.isValid() && loop == expected
                && expected.inEventLoop();
    }

    /**
     * Drops its listener: what arrives from now on is read and dropped ({@link #droppedResting}). No system call: the
     * socket stays registered for {@code EPOLLIN}, so resting and {@link #resume serving again} cost nothing.
     */
    void rest() {
        disconnect(); // the next call on this pair hears from anyone until it latches
        listener = null;
        if (watchOffForThisCall) {
            watchOffForThisCall = false;
            watchArrivalAddress(); // switched off for the last call's peer (connect): the next may connect
        }
    }

    /** {@code LinuxSocket.setIpRecvOrigDestAddr(boolean)}, package-private in Netty; null where not reachable. */
    private static final MethodHandle SET_RECV_ORIG_DST_ADDR = setRecvOrigDstAddr();

    private static MethodHandle setRecvOrigDstAddr() {
        if (!NativeReceive.readsArrivalAddress()) {
            return null;
        }
        try {
            return MethodHandles.privateLookupIn(LinuxSocket.class, MethodHandles.lookup())
                    .findVirtual(LinuxSocket.class, "setIpRecvOrigDestAddr",
                            MethodType.methodType(void.class, boolean.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // wildcard sockets do not connect (connect)
        }
    }

    /**
     * For a wildcard socket that may {@link #connect}: sets {@code IP_RECVORIGDSTADDR}, so that each IPv4 datagram
     * it reads unconnected says which local address it was sent to, what {@link #connect} checks. One system call;
     * the reads pay a control message (a few dozen ns) until the socket is connected, when they stop asking for it.
     * False where it cannot be set (then it never connects); nothing for a socket bound to one address.
     */
    @Override
    public boolean watchArrivalAddress() {
        if (!wildcard || watchesArrival) {
            return watchesArrival;
        }
        setWatchArrival(true);
        return watchesArrival;
    }

    private void setWatchArrival(boolean on) {
        if (SET_RECV_ORIG_DST_ADDR == null || !socket.isOpen()) {
            watchesArrival = false;
            return;
        }
        try {
            SET_RECV_ORIG_DST_ADDR.invokeExact(socket, on);
            watchesArrival = on;
        } catch (Throwable e) {
            log.debug("{}: IP_RECVORIGDSTADDR {}: {}", this, on, e.toString());
            watchesArrival = false;
        }
    }

    /**
     * {@code SO_RCVBUF} of a resting socket that something was sent to: the kernel's minimum (Linux rounds it up to
     * about one datagram). The loop reads what reaches a resting socket, but a flood faster than the loop reads would
     * otherwise queue up to the default buffer (212 KB) on each of thousands of idle sockets, and past the host's
     * {@code udp_mem} Linux drops datagrams for every UDP socket, SIP's and live calls' too. A closed port held
     * nothing. Shrunk at the first datagram, not at rest: a pair nobody sends to (most of them) costs no system call.
     */
    private static final int RESTING_RECEIVE_BUFFER = 1;

    private void shrinkWhileResting() {
        try {
            int before = socket.getReceiveBufferSize();
            socket.setReceiveBufferSize(RESTING_RECEIVE_BUFFER);
            receiveBufferBeforeRest = before;
        } catch (IOException e) {
            log.debug("shrinking the receive buffer of resting {}: {}", this, e.toString());
        }
    }

    /**
     * Marks this resting socket as taken by a new endpoint whose {@code attach} (which {@link #resume}s it and clears
     * the mark) is queued on the loop: a datagram the loop reads after it sees the mark runs {@code attach} first and
     * goes to the new listener. Any thread; {@code attach} must run once however often it is called, on the loop.
     */
    void claim(Runnable attach) {
        claim = attach;
    }

    /** Clears {@link #claim}; on the loop. */
    void unclaim() {
        claim = null;
    }

    /**
     * Hands what it reads from now on to {@code next} (with its receive buffer back, when a datagram that reached it
     * resting shrank it); false when the socket is closed or off its loop.
     */
    boolean resume(Listener next) {
        IoRegistration r = registration;
        if (!socket.isOpen() || r == null || !r.isValid()) {
            return false;
        }
        if (receiveBufferBeforeRest != 0) {
            try {
                // Linux doubles what setsockopt asks for and getsockopt reports the doubled size: half restores it
                socket.setReceiveBufferSize(Math.max(1, receiveBufferBeforeRest / 2));
            } catch (IOException e) {
                // Serves with the resting size (a datagram or two queued at most); the kernel said why
                log.debug("restoring the receive buffer of {}: {}", this, e.toString());
            }
            receiveBufferBeforeRest = 0;
        }
        listener = next;
        return true;
    }

    /** Its {@code SO_RCVBUF} as the kernel reports it; for tests. */
    int receiveBufferSize() throws IOException {
        return socket.getReceiveBufferSize();
    }

    /** Datagrams read and dropped while it rested, since the last {@link #takeDroppedResting}; for tests. */
    long droppedResting() {
        return droppedResting;
    }

    /** Datagrams read and dropped while it rested since the last call of this; resets the count. */
    long takeDroppedResting() {
        long dropped = droppedResting;
        droppedResting = 0;
        return dropped;
    }

    /**
     * Reads and drops what the kernel queued, at most {@code max} datagrams. Returns how many, or -1 when the
     * socket failed or still had more (close it).
     */
    int drain(ByteBuffer sink, int max) {
        if (!socket.isOpen()) {
            return -1;
        }
        try {
            for (int i = 0; i < max; i++) {
                // recv on a non-blocking socket: > 0 octets read, -1 an empty datagram, 0 nothing queued (EAGAIN).
                if (socket.recv(sink, 0, sink.capacity()) == 0) {
                    return i;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Datagrams the socket failed to read (a read error, or a wake-up with nothing queued); for tests. */
    long readErrors() {
        return readErrors;
    }

    @Override
    public boolean send(PacketBuffer p, SendAddress to) {
        if (!open) {
            return false;
        }
        if (loop != null && !loop.inEventLoop()) {
            // Not on its loop (nothing in the relay does this): copy and send there, where close cannot race.
            byte[] copy = new byte[p.length()];
            System.arraycopy(p.array(), p.offset(), copy, 0, copy.length);
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
        dontFragment.beforeSend(length);
        if (!open) {
            return false;
        }
        DirectSend direct = Workspace.current().directSend;
        // Identity: the endpoint connects to its latched source's address object and sends to that same object.
        // Anything else (a connected socket may still send elsewhere) goes with its address.
        return to.address() == connectedPeer ? direct.sendConnected(socket, fd, array, offset, length)
                : direct.send(socket, fd, ipv6, array, offset, length, to);
    }

    /**
     * {@code connect(2)} to {@code peer}, on the socket's loop: the kernel then hands it only {@code peer}'s
     * datagrams (others find no socket: the host answers them with ICMP port unreachable and counts them in its
     * UDP {@code NoPorts}), and a packet sent to {@code peer} (this very object) leaves by the route cached on the
     * socket instead of a route lookup per {@code sendto} (~0.3 µs a packet, docs/benchmarks.md). Only a socket bound
     * to a port of its choice (see {@link #mayConnect}). A socket bound to a wildcard connects only from inside its
     * listener, for an IPv4 peer, once {@link #watchArrivalAddress}: after the {@code connect} the local address the
     * kernel fixed must be the one the datagram being delivered was sent to, else it disconnects at once and
     * returns false (on a multi-homed host, the route back to the peer may leave by another address than the one
     * the peer sends to, and a connected socket would then no longer hear the peer). A connected socket also reports
     * the peer's ICMP errors (port unreachable) once each: a send that meets one is made again at once
     * ({@link DirectSend#sendConnected}: the packet goes, as from an unconnected socket), a read counts a read error.
     */
    @Override
    public boolean connect(InetSocketAddress peer) {
        if (!mayConnect || !socket.isOpen() || peer.isUnresolved()) {
            return false;
        }
        // A wildcard socket: only from inside the listener, where the datagram being handed on says which local
        // address the peer sends to (the SDP's c=, or what a NAT in front turns it into); IPv4 only.
        NativeReceive arrival = null;
        if (wildcard) {
            if (!watchesArrival || !delivering) {
                return false; // not now (an endpoint's early packets, handed on later): connectsLater() says so
            }
            arrival = NativeReceive.current();
            if (!arrival.arrivalKnown()) {
                stopWatchingForThisCall(); // an IPv6 peer (no IP_ORIGDSTADDR): unconnected, as before
                return false;
            }
        }
        try {
            if (socket.connect(peer)) {
                if (wildcard && !fixedToArrivalAddress(arrival)) {
                    // Multi-homed: the route to the peer leaves by another local address than the one it sends to.
                    // Connected, the socket would no longer hear it; unconnected, it hears it and answers from the
                    // route's address as before. The socket stays unconnected for this call.
                    connectsRefusedByAddress++;
                    log.debug("{}: not connected to {}: the route's local address {} is not the one it sends to",
                            this, peer, socket.localAddress());
                    unconnect();
                    stopWatchingForThisCall();
                    return false;
                }
                connectedPeer = peer;
                onlyPeerQueued = false; // until the queue was read empty once (handle)
                return true;
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: connect to {} refused: {}", this, peer, e.toString());
        }
        connectedPeer = null;
        onlyPeerQueued = false;
        unconnect(); // a refused connect may leave the socket connected to the peer before
        if (wildcard) {
            stopWatchingForThisCall();
        }
        return false;
    }

    /**
     * After a refused {@link #connect}: whether a later one may still succeed. Only a wildcard socket asked from
     * outside its listener (an endpoint handing on the packets that came before its parameters), where a datagram
     * handed on later will say where the peer sends to; every other refusal holds for the call.
     */
    @Override
    public boolean connectsLater() {
        return wildcard && watchesArrival && mayConnect && open;
    }

    /** Reads stop asking where datagrams went, until the pair's next call ({@link #rest}). */
    private void stopWatchingForThisCall() {
        if (watchesArrival) {
            setWatchArrival(false);
            watchOffForThisCall = true;
        }
    }

    /**
     * Whether the local address {@code connect} fixed (read back with {@code getsockname}) is the one the datagram
     * being delivered was sent to ({@code arrival}). An IPv4 peer on a dual-stack socket reads back IPv4-mapped.
     */
    private boolean fixedToArrivalAddress(NativeReceive arrival) {
        InetSocketAddress local = socket.localAddress();
        if (local == null || local.getAddress() == null) {
            return false;
        }
        byte[] octets = local.getAddress().getAddress();
        if (octets.length == 16 && isIpv4Mapped(octets)) {
            octets = Arrays.copyOfRange(octets, 12, 16);
        }
        return arrival.arrivedAt(octets);
    }

    private static boolean isIpv4Mapped(byte[] ipv6) {
        for (int i = 0; i < 10; i++) {
            if (ipv6[i] != 0) {
                return false;
            }
        }
        return ipv6[10] == (byte) 0xff && ipv6[11] == (byte) 0xff;
    }

    /** Connects refused because the route's local address was not the one the peer sent to; for tests. */
    long connectsRefusedByAddress() {
        return connectsRefusedByAddress;
    }

    /** The local address and port as the kernel reports them ({@code getsockname}); for tests. */
    InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** {@code connect(2)} with {@code AF_UNSPEC}: datagrams from any source again; keeps the bound port. */
    @Override
    public void disconnect() {
        if (connectedPeer != null) {
            connectedPeer = null;
            onlyPeerQueued = false;
            unconnect();
        }
    }

    private void unconnect() {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.disconnect();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: disconnect: {}", this, e.toString());
        }
    }

    /** The peer it is connected to, or null; for tests. */
    InetSocketAddress connectedPeer() {
        return connectedPeer;
    }

    @Override
    public void moveTo(MediaLoop target, Consumer<Boolean> moved) {
        IoRegistration old = registration;
        registration = null;
        if (old != null) {
            old.cancel(); // on the loop it was registered on: no read can follow on that loop
        }
        Listener keep = listener;
        loop = null;
        register((IoEventLoop) target.eventLoop(), keep, failure -> {
            if (failure != null) {
                log.debug("media socket on port {} could not join its new loop: {}", localPort, failure.toString());
            }
            moved.accept(failure == null);
        });
    }

    @Override
    public void close(Runnable closed) {
        close();
        closed.run();
    }

    /** Closes at once (idempotent); Netty calls this too for handles still registered when its loop shuts down. */
    @Override
    public void close() {
        open = false;
        listener = null;
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
        return "media socket on port " + localPort;
    }
}
