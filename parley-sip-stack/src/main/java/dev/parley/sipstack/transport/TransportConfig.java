package dev.parley.sipstack.transport;

import dev.parley.sip.codec.SipLimits;
import dev.parley.sipstack.tls.TlsProfile;
import java.net.InetAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;

/**
 * How {@link SipTransports} listens and protects itself.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code bindAddress}</td><td>0.0.0.0</td><td>the address all listeners bind to</td></tr>
 *   <tr><td>{@code udpPort}, {@code tcpPort}, {@code tlsPort}</td><td>5060, 5060, 5061</td>
 *       <td>-1 disables the listener, 0 binds an ephemeral port</td></tr>
 *   <tr><td>{@code tlsKeyManagers}</td><td>none</td><td>the server certificate and key; required when TLS listens
 *       (also offered as client certificate on outbound TLS)</td></tr>
 *   <tr><td>{@code verifyPeers}</td><td>true</td><td>verify TLS servers Parley connects to against the JDK trust
 *       store; false trusts any certificate (tests only)</td></tr>
 *   <tr><td>{@code limits}</td><td>{@link SipLimits#DEFAULT}</td><td>parser and framer limits</td></tr>
 *   <tr><td>{@code maxConnectionsPerAddress}</td><td>16</td><td>inbound TCP/TLS connections from one IP
 *       address; one more is closed at once</td></tr>
 *   <tr><td>{@code maxConnections}</td><td>10 000</td><td>inbound TCP/TLS connections in all</td></tr>
 *   <tr><td>{@code unauthenticatedIdleTimeout}</td><td>30 s</td><td>an inbound connection that has not been
 *       {@linkplain dev.parley.sipstack.flow.Flow#markAuthenticated() authenticated} is closed when no complete
 *       message arrived for this long (a connection that only trickles bytes or pings is closed too)</td></tr>
 *   <tr><td>{@code authenticatedIdleTimeout}</td><td>0 (never)</td><td>an authenticated or outbound connection is
 *       closed after this long without any traffic, keep-alives included</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>5 s</td><td>outbound TCP connect</td></tr>
 *   <tr><td>{@code ioThreads}</td><td>available processors</td><td>Netty event loop threads
 *       ({@code parley-sip-io-N})</td></tr>
 *   <tr><td>{@code nativeTransport}</td><td>true</td><td>use epoll when the native library loads, NIO
 *       otherwise</td></tr>
 *   <tr><td>{@code udpReceiveBuffer}</td><td>4 MiB</td><td>{@code SO_RCVBUF} asked for on the UDP socket; Linux
 *       grants twice this (its bookkeeping), capped at twice {@code net.core.rmem_max}. The one I/O thread that
 *       reads it can fall behind for a fraction of a second (a cold JIT on a busy host): at 1,600 calls/s, ~16,000
 *       datagrams/s arrive, and the former 1 MiB (2 MiB granted) overflowed in every cold benchmark step, 52,762
 *       datagrams dropped in one (docs/benchmarks.md, 7 December, coldstart); each drop costs the sender a
 *       retransmission 0.5 s later</td></tr>
 * </table>
 */
public record TransportConfig(InetAddress bindAddress, int udpPort, int tcpPort, int tlsPort,
        KeyManagerFactory tlsKeyManagers, boolean verifyPeers, SipLimits limits, int maxConnectionsPerAddress,
        int maxConnections, Duration unauthenticatedIdleTimeout, Duration authenticatedIdleTimeout,
        Duration connectTimeout, int ioThreads, boolean nativeTransport, int udpReceiveBuffer) {

    /** A listener port that means "do not listen". */
    public static final int DISABLED = -1;
    /** The {@code SO_RCVBUF} asked for on the UDP socket by default: 4 MiB (see the class table). */
    public static final int DEFAULT_UDP_RECEIVE_BUFFER = 4 << 20;
    /** Bounds of {@code udpReceiveBuffer}: 64 KiB (a datagram's maximum) to 1 GiB. */
    public static final int MIN_UDP_RECEIVE_BUFFER = 1 << 16;
    public static final int MAX_UDP_RECEIVE_BUFFER = 1 << 30;

    public TransportConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(unauthenticatedIdleTimeout, "unauthenticatedIdleTimeout");
        Objects.requireNonNull(authenticatedIdleTimeout, "authenticatedIdleTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        checkPort("udpPort", udpPort);
        checkPort("tcpPort", tcpPort);
        checkPort("tlsPort", tlsPort);
        if (maxConnectionsPerAddress < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1: maxConnectionsPerAddress="
                    + maxConnectionsPerAddress + ", maxConnections=" + maxConnections);
        }
        if (unauthenticatedIdleTimeout.isNegative() || authenticatedIdleTimeout.isNegative()
                || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must not be negative (0 means never for idle timeouts)");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, was " + ioThreads);
        }
        if (udpReceiveBuffer < MIN_UDP_RECEIVE_BUFFER || udpReceiveBuffer > MAX_UDP_RECEIVE_BUFFER) {
            throw new IllegalArgumentException("udpReceiveBuffer must be " + MIN_UDP_RECEIVE_BUFFER + " to "
                    + MAX_UDP_RECEIVE_BUFFER + " bytes, was " + udpReceiveBuffer);
        }
        if (tlsPort != DISABLED && tlsKeyManagers == null) {
            throw new IllegalArgumentException("TLS listens on port " + tlsPort
                    + " but no certificate was given: set tlsKeyManagers/tlsKeyStore, or disable TLS with tlsPort(-1)");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < DISABLED || port > 65535) {
            throw new IllegalArgumentException(name + " must be -1 (disabled), 0 (ephemeral) or 1..65535, was " + port);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link TransportConfig}; starts from the defaults in the class table. */
    public static final class Builder {
        private InetAddress bindAddress;
        private int udpPort = 5060;
        private int tcpPort = 5060;
        private int tlsPort = 5061;
        private KeyManagerFactory tlsKeyManagers;
        private boolean verifyPeers = true;
        private SipLimits limits = SipLimits.DEFAULT;
        private int maxConnectionsPerAddress = 16;
        private int maxConnections = 10_000;
        private Duration unauthenticatedIdleTimeout = Duration.ofSeconds(30);
        private Duration authenticatedIdleTimeout = Duration.ZERO;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private boolean nativeTransport = true;
        private int udpReceiveBuffer = DEFAULT_UDP_RECEIVE_BUFFER;

        private Builder() {
            try {
                bindAddress = InetAddress.getByAddress(new byte[4]);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        private Builder(TransportConfig c) {
            bindAddress = c.bindAddress;
            udpPort = c.udpPort;
            tcpPort = c.tcpPort;
            tlsPort = c.tlsPort;
            tlsKeyManagers = c.tlsKeyManagers;
            verifyPeers = c.verifyPeers;
            limits = c.limits;
            maxConnectionsPerAddress = c.maxConnectionsPerAddress;
            maxConnections = c.maxConnections;
            unauthenticatedIdleTimeout = c.unauthenticatedIdleTimeout;
            authenticatedIdleTimeout = c.authenticatedIdleTimeout;
            connectTimeout = c.connectTimeout;
            ioThreads = c.ioThreads;
            nativeTransport = c.nativeTransport;
            udpReceiveBuffer = c.udpReceiveBuffer;
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        public Builder udpPort(int port) {
            this.udpPort = port;
            return this;
        }

        public Builder tcpPort(int port) {
            this.tcpPort = port;
            return this;
        }

        public Builder tlsPort(int port) {
            this.tlsPort = port;
            return this;
        }

        public Builder tlsKeyManagers(KeyManagerFactory keyManagers) {
            this.tlsKeyManagers = keyManagers;
            return this;
        }

        /** The certificate and key from a key store (PKCS#12, or PEM loaded into one). */
        public Builder tlsKeyStore(KeyStore keyStore, char[] password) {
            this.tlsKeyManagers = TlsProfile.keyManagers(keyStore, password);
            return this;
        }

        public Builder verifyPeers(boolean verify) {
            this.verifyPeers = verify;
            return this;
        }

        public Builder limits(SipLimits sipLimits) {
            this.limits = sipLimits;
            return this;
        }

        public Builder maxConnectionsPerAddress(int cap) {
            this.maxConnectionsPerAddress = cap;
            return this;
        }

        public Builder maxConnections(int cap) {
            this.maxConnections = cap;
            return this;
        }

        public Builder unauthenticatedIdleTimeout(Duration timeout) {
            this.unauthenticatedIdleTimeout = timeout;
            return this;
        }

        public Builder authenticatedIdleTimeout(Duration timeout) {
            this.authenticatedIdleTimeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        public Builder nativeTransport(boolean preferNative) {
            this.nativeTransport = preferNative;
            return this;
        }

        /** Bytes of {@code SO_RCVBUF} to ask for on the UDP socket. */
        public Builder udpReceiveBuffer(int bytes) {
            this.udpReceiveBuffer = bytes;
            return this;
        }

        public TransportConfig build() {
            return new TransportConfig(bindAddress, udpPort, tcpPort, tlsPort, tlsKeyManagers, verifyPeers, limits,
                    maxConnectionsPerAddress, maxConnections, unauthenticatedIdleTimeout, authenticatedIdleTimeout,
                    connectTimeout, ioThreads, nativeTransport, udpReceiveBuffer);
        }
    }
}
