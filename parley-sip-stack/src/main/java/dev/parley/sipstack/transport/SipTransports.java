package dev.parley.sipstack.transport;

import dev.parley.common.SourceSlots;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.AttachedTransport;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.tls.TlsProfile;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's SIP listeners and outbound connections over UDP, TCP and TLS (RFC 3261 §18) on Netty, and the
 * WebSocket transport the web module {@linkplain #attach attaches}.
 *
 * <p>Each arriving message goes to {@link Inbound} on its event loop thread with the {@link Flow} it came on (for a
 * request: where its responses go). {@link #flowTo} finds or opens the flow for a request Parley sends; connections
 * are reused in both directions (RFC 3261 §18.1.1), keyed by transport and remote address.
 *
 * <table>
 *   <caption>Protection against peers that do not play fair</caption>
 *   <tr><th>threat</th><th>defence</th></tr>
 *   <tr><td>many connections from one host</td><td>{@code maxConnectionsPerAddress}: the extra connection is closed
 *       (RST) on accept</td></tr>
 *   <tr><td>many connections from many hosts</td><td>{@code maxConnections} in all</td></tr>
 *   <tr><td>connections that never send a complete message (slowloris, port scans, stalled TLS handshakes)</td>
 *       <td>{@code unauthenticatedIdleTimeout} until {@link Flow#markAuthenticated()}</td></tr>
 *   <tr><td>oversized or endless messages</td><td>{@link dev.parley.sip.codec.SipLimits}; the stream is answered and
 *       closed</td></tr>
 *   <tr><td>a peer that does not read what Parley writes</td><td>write buffer high water mark (1 MiB): the next send
 *       closes the connection</td></tr>
 *   <tr><td>forged Via sent-by used to reflect UDP responses to a third host</td><td>responses go to the packet's
 *       source address, only the port comes from the Via</td></tr>
 * </table>
 *
 * <p>Thread-safe. {@link #start()} once, {@link #close()} once.
 */
public final class SipTransports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipTransports.class);
    private static final AtomicBoolean NATIVE_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean NIO_LOGGED = new AtomicBoolean();
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    static final int MAX_DATAGRAM = 65_536;

    /** Receives every message that arrives, on the event loop thread of its socket; must not block. */
    public interface Inbound {
        /** A request, its top Via already stamped with {@code received}/{@code rport}; respond on {@code flow}. */
        void onRequest(SipRequest request, Flow flow);

        /** A response, with the flow it came on. */
        void onResponse(SipResponse response, Flow flow);

        /** A TCP or TLS connection closed; its flow will never carry a message again. */
        default void onFlowClosed(Flow flow) {
        }
    }

    private record Key(Transport transport, InetSocketAddress remote) {
    }

    private final TransportConfig config;
    private final Inbound inbound;
    private final SipParser parser;
    private final TlsProfile tls = TlsProfile.intermediate();
    private final SourceSlots limiter;
    private final ConcurrentHashMap<Key, CompletableFuture<Flow>> connections = new ConcurrentHashMap<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Transport, AttachedFlows> attached = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Written last by {@link #start()}: a thread that reads it true sees every field start() set. */
    private volatile boolean running;

    private EventLoopGroup group;
    private Class<? extends Channel> datagramClass;
    private Class<? extends ServerChannel> serverClass;
    private Class<? extends Channel> socketClass;
    private volatile Channel udp;
    private volatile Channel tcpServer;
    private volatile Channel tlsServer;
    private SSLContext serverTls;
    private volatile SSLContext clientTls;

    public SipTransports(TransportConfig config, Inbound inbound) {
        this.config = Objects.requireNonNull(config, "config");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.parser = new SipParser(config.limits());
        this.limiter = new SourceSlots(config.maxConnectionsPerAddress(), config.maxConnections());
    }

    /**
     * Starts the event loops and binds the enabled listeners.
     *
     * @throws IllegalStateException when a listener cannot bind (the message names the transport and address);
     *     whatever was started is closed again
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("SipTransports.start() was already called");
        }
        IoFlavor io = IoFlavor.choose(config.nativeTransport());
        datagramClass = io.datagram();
        serverClass = io.server();
        socketClass = io.socket();
        if ((io.isNative() ? NATIVE_LOGGED : NIO_LOGGED).compareAndSet(false, true)) {
            LOG.info("SIP transports use {}", io.why());
        }
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), threadFactory(), io.handlers());
        try {
            if (config.tlsPort() != TransportConfig.DISABLED) {
                serverTls = TlsProfile.serverContext(config.tlsKeyManagers());
                tls.newServerEngine(serverTls); // fail now, not on the first connection, when the profile cannot apply
            }
            if (!config.verifyPeers()) {
                LOG.warn("TLS servers Parley connects to are not verified (verifyPeers=false): for tests only");
            }
            if (config.udpPort() != TransportConfig.DISABLED) {
                udp = bindUdp();
            }
            if (config.tcpPort() != TransportConfig.DISABLED) {
                tcpServer = bindStream(Transport.TCP, config.tcpPort());
            }
            if (config.tlsPort() != TransportConfig.DISABLED) {
                tlsServer = bindStream(Transport.TLS, config.tlsPort());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        running = true;
        String listening = describe(Transport.UDP, udp) + describe(Transport.TCP, tcpServer)
                + describe(Transport.TLS, tlsServer);
        LOG.info("SIP listening on{}", listening.isEmpty() ? " nothing (outbound connections only)" : listening);
    }

    private static String describe(Transport t, Channel ch) {
        return ch == null ? "" : " " + t + " " + ch.localAddress();
    }

    private ThreadFactory threadFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> new FastThreadLocalThread(r, "parley-sip-io-" + n.incrementAndGet());
    }

    private Channel bindUdp() {
        // no SO_REUSEADDR: on UDP it would let a second server bind the same port silently
        Bootstrap b = new Bootstrap().group(group).channel(datagramClass)
                .option(ChannelOption.SO_RCVBUF, config.udpReceiveBuffer())
                // the default 2048 would cut an INVITE with a large SDP; a datagram is at most 64 KiB
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(new DatagramSipHandler(parser, inbound));
        Channel channel = bound(b.bind(config.bindAddress(), config.udpPort()), Transport.UDP, config.udpPort());
        logReceiveBuffer(channel.config().getOption(ChannelOption.SO_RCVBUF));
        return channel;
    }

    /**
     * Linux grants twice the {@code SO_RCVBUF} asked for (the other half is its bookkeeping), capped at twice
     * net.core.rmem_max without a complaint: say so when the cap cut it, since a small buffer drops datagrams in
     * bursts of thousands of calls a second (TransportConfig's table). An information, not a warning: every install
     * on a kernel with the default rmem_max (208 KiB) gets it, and a PBX far below that load loses nothing.
     */
    private void logReceiveBuffer(Integer granted) {
        int asked = config.udpReceiveBuffer();
        if (granted == null) {
            return;
        }
        if (granted < asked) {
            LOG.info("the SIP UDP socket's receive buffer is {} bytes, {} were asked for (sip.udp-receive-buffer):"
                    + " the kernel capped it at net.core.rmem_max; raise that (sysctl -w net.core.rmem_max={}) to"
                    + " drop fewer datagrams in bursts", granted, asked, asked);
        } else {
            LOG.info("SIP UDP receive buffer: {} bytes granted for {} asked (sip.udp-receive-buffer)", granted, asked);
        }
    }

    private Channel bindStream(Transport transport, int port) {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(serverClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptConnection(ch, transport);
                    }
                });
        return bound(b.bind(config.bindAddress(), port), transport, port);
    }

    private Channel bound(ChannelFuture f, Transport transport, int port) {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot listen for SIP over " + transport + " on "
                    + config.bindAddress().getHostAddress() + ":" + port + " (" + f.cause().getMessage()
                    + "): is another SIP server running? Choose another port or stop it", f.cause());
        }
        return f.channel();
    }

    private void acceptConnection(Channel ch, Transport transport) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        SourceSlots.Admission admission = limiter.tryAcquire(remote.getAddress());
        if (admission != SourceSlots.Admission.ADMITTED) {
            LOG.debug("refusing a {} connection from {}: {}", transport, remote, admission);
            ch.config().setOption(ChannelOption.SO_LINGER, 0); // RST: no TIME_WAIT kept for an unwanted peer
            ch.close();
            return;
        }
        if (closed.get()) {
            limiter.release(remote.getAddress());
            ch.close();
            return;
        }
        ConnectionFlow flow = new ConnectionFlow(ch, transport, false, remote);
        CompletableFuture<Flow> ready = CompletableFuture.completedFuture(flow);
        Key key = new Key(transport, remote);
        connections.put(key, ready);
        ch.closeFuture().addListener(f -> limiter.release(remote.getAddress()));
        initConnection(ch, flow, key, ready, null);
    }

    private void initConnection(Channel ch, ConnectionFlow flow, Key key, CompletableFuture<Flow> ready,
            String serverName) {
        ChannelPipeline p = ch.pipeline();
        if (flow.transport() == Transport.TLS) {
            InetSocketAddress remote = flow.remoteAddress();
            SSLEngine engine = flow.isOutbound()
                    ? tls.newClientEngine(clientTls(), remote.getAddress().getHostAddress(), remote.getPort(),
                            serverName, config.verifyPeers())
                    : tls.newServerEngine(serverTls);
            p.addLast("tls", new SslHandler(engine));
        }
        p.addLast("framer", new StreamSipDecoder(parser));
        p.addLast("sip", new StreamSipHandler(flow, inbound, config.unauthenticatedIdleTimeout().toNanos(),
                config.authenticatedIdleTimeout().toNanos(), ready));
        channels.add(ch);
        ch.closeFuture().addListener(f -> {
            channels.remove(ch);
            connections.remove(key, ready);
            if (ready.completeExceptionally(new IOException("the " + flow.transport() + " connection with "
                    + flow.remoteAddress() + " closed before it was ready"))) {
                return; // never became a flow anyone saw
            }
            try {
                inbound.onFlowClosed(flow);
            } catch (RuntimeException e) {
                LOG.warn("the SIP stack failed on the close of {}", flow, e);
            }
        });
    }

    private SSLContext clientTls() {
        SSLContext ctx = clientTls;
        if (ctx == null) {
            synchronized (this) {
                ctx = clientTls;
                if (ctx == null) {
                    ctx = TlsProfile.clientContext(config.tlsKeyManagers(), config.verifyPeers());
                    clientTls = ctx;
                }
            }
        }
        return ctx;
    }

    /**
     * Plugs in a transport that lives outside the stack (WebSocket: the web module owns the listener and the
     * connections) and returns where it hands its flows and messages. Its connections count against the same caps
     * as TCP and TLS.
     *
     * @param port the port its listener is bound to, written in Via and Contact for messages sent over it
     * @throws IllegalArgumentException for UDP, TCP and TLS, which the stack runs itself
     * @throws IllegalStateException when {@code transport} is already attached
     */
    public AttachedTransport attach(Transport transport, int port) {
        if (transport != Transport.WS && transport != Transport.WSS) {
            throw new IllegalArgumentException(transport + " is run by the stack itself; only WS and WSS attach");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port of an attached transport must be 1..65535, was " + port);
        }
        AttachedFlows flows = new AttachedFlows(transport, port, parser, limiter, inbound);
        if (attached.putIfAbsent(transport, flows) != null) {
            throw new IllegalStateException(transport + " is already attached");
        }
        return flows;
    }

    /** The port a listener is bound to (useful with port 0), or -1 when it does not listen. */
    public int boundPort(Transport transport) {
        AttachedFlows external = attached.get(transport);
        if (external != null) {
            return external.port();
        }
        return localAddress(transport).map(InetSocketAddress::getPort).orElse(-1);
    }

    /** The address a listener is bound to, when it listens. */
    public Optional<InetSocketAddress> localAddress(Transport transport) {
        Channel ch = switch (transport) {
            case UDP -> udp;
            case TCP -> tcpServer;
            case TLS -> tlsServer;
            default -> null;
        };
        return ch == null ? Optional.empty() : Optional.of((InetSocketAddress) ch.localAddress());
    }

    /** {@link #flowTo(Transport, InetSocketAddress, String)} without a TLS server name. */
    public CompletableFuture<Flow> flowTo(Transport transport, InetSocketAddress target) {
        return flowTo(transport, target, null);
    }

    /**
     * The flow for sending to {@code target} (already resolved, RFC 3263 is the caller's): for UDP the listening
     * socket aimed at it; for TCP and TLS an open connection to that address, inbound or outbound (RFC 3261
     * §18.1.1), else a new one, remembered for reuse until it closes. A TLS flow completes after the handshake.
     *
     * @param tlsServerName the SIP domain the TLS server must prove (SNI, and checked when {@code verifyPeers});
     *     {@code null} to check the certificate chain only
     * @return completes with the flow, or exceptionally when the connection or handshake fails
     */
    public CompletableFuture<Flow> flowTo(Transport transport, InetSocketAddress target, String tlsServerName) {
        if (!running || closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("SIP transports are not running"));
        }
        if (target.isUnresolved()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "unresolved target " + target + ": resolve it first (RFC 3263)"));
        }
        return switch (transport) {
            case UDP -> udp == null
                    ? CompletableFuture.failedFuture(new IllegalStateException("UDP is disabled"))
                    : CompletableFuture.completedFuture(UdpFlows.of(udp).to(target));
            case TCP, TLS -> connection(transport, target, tlsServerName);
            case WS, WSS -> {
                AttachedFlows external = attached.get(transport);
                yield external != null ? external.flowTo(target) : CompletableFuture.failedFuture(
                        new IllegalStateException(transport + " is not attached (the web server is off)"));
            }
        };
    }

    private CompletableFuture<Flow> connection(Transport transport, InetSocketAddress target, String serverName) {
        Key key = new Key(transport, target);
        while (true) {
            CompletableFuture<Flow> existing = connections.get(key);
            if (existing != null) {
                if (!existing.isDone() || (!existing.isCompletedExceptionally() && existing.join().isOpen())) {
                    return existing.copy(); // a copy: callers must not be able to complete the shared one
                }
                connections.remove(key, existing);
                continue;
            }
            CompletableFuture<Flow> mine = new CompletableFuture<>();
            if (connections.putIfAbsent(key, mine) == null) {
                try {
                    connect(key, mine, serverName);
                } catch (RuntimeException e) { // e.g. the event loops were shut down by a concurrent close()
                    connections.remove(key, mine);
                    mine.completeExceptionally(e);
                }
                return mine.copy();
            }
        }
    }

    private void connect(Key key, CompletableFuture<Flow> ready, String serverName) {
        InetSocketAddress target = key.remote();
        Bootstrap b = new Bootstrap().group(group).channel(socketClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch, new ConnectionFlow(ch, key.transport(), true, target), key, ready,
                                serverName);
                    }
                });
        if (!config.bindAddress().isAnyLocalAddress()) {
            b.localAddress(config.bindAddress(), 0);
        }
        b.connect(target).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                connections.remove(key, ready);
                ready.completeExceptionally(new IOException("cannot connect over " + key.transport() + " to "
                        + target + ": " + f.cause().getMessage(), f.cause()));
            }
        });
    }

    /** Open TCP/TLS connections, inbound and outbound, and open connections of attached transports. */
    public int connectionCount() {
        int external = 0;
        for (AttachedFlows flows : attached.values()) {
            external += flows.count();
        }
        return channels.size() + external;
    }

    /**
     * Stops accepting, closes every connection and socket and shuts the event loops down; waits a few seconds at
     * most.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || group == null) {
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel listener : new Channel[] {tcpServer, tlsServer}) {
            if (listener != null) {
                listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS); // stop accepting before the rest
            }
        }
        if (udp != null) {
            closing.add(udp.close());
        }
        for (Channel ch : List.copyOf(channels)) {
            closing.add(ch.close());
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        LOG.info("SIP transports closed");
    }
}
