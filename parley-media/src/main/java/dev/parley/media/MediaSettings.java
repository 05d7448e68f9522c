package dev.parley.media;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the media plane is set up. Defaults (see {@link #defaults(InetAddress, InetAddress)}):
 *
 * <table>
 *   <caption>settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>port range</td><td>20000–29999</td><td>even RTP port + odd RTCP port per endpoint (RFC 3550 §11):
 *       5000 endpoints</td></tr>
 *   <tr><td>media timeout</td><td>30 s</td><td>a peer that should send and has been silent this long is gone
 *       (no BYE after a crash, a NAT that dropped its binding)</td></tr>
 *   <tr><td>max endpoints</td><td>every pair of the range</td><td>a cap below the range protects the CPU</td></tr>
 *   <tr><td>event loops</td><td>one per core</td><td>media is run-to-completion on the loop that owns the
 *       socket</td></tr>
 *   <tr><td>relatch after silence</td><td>2 s</td><td>symmetric RTP follows a new source only after the
 *       latched one fell silent this long, so a spoofed packet cannot steal a live stream</td></tr>
 *   <tr><td>RTCP interval</td><td>5 s</td><td>RFC 3550 §6.2 minimum; each report is sent at a random 0.5–1.5
 *       of it (§6.3.5)</td></tr>
 *   <tr><td>WebRTC port</td><td>0 (off)</td><td>one UDP port shared by every browser leg (their one ICE
 *       candidate); 0 gives each browser leg a port of the range</td></tr>
 *   <tr><td>consent timeout</td><td>30 s</td><td>a browser leg whose selected pair had no ICE check this long has
 *       lost consent (RFC 7675 §5.1); browsers check every ~5 s</td></tr>
 *   <tr><td>idle pairs per loop</td><td>8192</td><td>a closed endpoint's RTP/RTCP sockets stay bound, idle, for a
 *       later endpoint on the same loop instead of a close and a bind per leg; past this many (or the loop's share
 *       of the range), and after 60 s idle, they are closed (see {@code relay.IdlePairs}). No more sockets than
 *       the range's endpoints would hold when all are in use</td></tr>
 *   <tr><td>idle quarantine</td><td>2 s</td><td>an idle pair is handed out only after resting this long, so late
 *       packets of the old call do not reach the next one</td></tr>
 *   <tr><td>connect latched sockets</td><td>on</td><td>a leg's RTP socket {@code connect}ed to its latched
 *       source while it is live: the relay's packets to it skip a route lookup each, its reads the sender's address
 *       (8.0 against 9.9 µs CPU per SRTP packet for rtpengine at 1,000 calls, docs/benchmarks.md); see
 *       {@link #withConnectedLatchedSockets}</td></tr>
 *   <tr><td>prebind idle pairs</td><td>off (the server turns it on)</td><td>at start each loop binds pairs of the
 *       range into its idle cache, up to its cap, so that the first calls take bound pairs instead of each
 *       creating and binding sockets while the JIT is still cold; unused, they are closed after 60 s like any
 *       idle pair</td></tr>
 * </table>
 *
 * @param bindAddress       local address the media sockets bind to (may be the wildcard address)
 * @param advertisedAddress the address written into SDP (a public address behind 1:1 NAT, else the bind address)
 * @param portMin           lowest port of the range (inclusive)
 * @param portMax           highest port of the range (inclusive)
 * @param preferNative      use native epoll when it loads (Java NIO otherwise)
 * @param consentTimeout    WebRTC legs: ICE consent freshness limit (RFC 7675)
 * @param webRtcPort        the UDP port all WebRTC legs share, outside the range; 0: a port of the range each
 * @param idlePairsPerLoop  closed endpoints' pairs each event loop keeps bound for reuse; 0: none
 * @param idleQuarantine    how long an idle pair rests before it is reused
 * @param connectLatchedSockets a leg's RTP socket is {@code connect}ed to its latched source while that is live
 * @param prebindIdlePairs  fill each loop's idle cache with pairs bound at start (see {@link #withPrebindIdlePairs})
 */
public record MediaSettings(
        InetAddress bindAddress,
        InetAddress advertisedAddress,
        int portMin,
        int portMax,
        Duration mediaTimeout,
        int maxEndpoints,
        int eventLoops,
        Duration relatchAfterSilence,
        Duration rtcpInterval,
        boolean preferNative,
        Duration consentTimeout,
        int webRtcPort,
        int idlePairsPerLoop,
        Duration idleQuarantine,
        boolean connectLatchedSockets,
        boolean prebindIdlePairs) {

    public static final int DEFAULT_PORT_MIN = 20000;
    public static final int DEFAULT_PORT_MAX = 29999;
    /**
     * Enough for 4,096 endpoints a second per loop to reuse a pair after the default 2 s quarantine; the range's
     * share per loop caps it first with the default range (5,000 pairs).
     */
    public static final int DEFAULT_IDLE_PAIRS_PER_LOOP = 8192;
    /** See {@link #withConnectedLatchedSockets}. */
    public static final boolean DEFAULT_CONNECT_LATCHED_SOCKETS = true;

    public MediaSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        if (portMin < 1024 || portMax > 65535 || portMax - portMin < 1) {
            throw new IllegalArgumentException("media port range " + portMin + "-" + portMax
                    + " is not usable: it must lie within 1024-65535 and hold at least one even/odd pair");
        }
        requirePositive(mediaTimeout, "mediaTimeout");
        requirePositive(relatchAfterSilence, "relatchAfterSilence");
        requirePositive(rtcpInterval, "rtcpInterval");
        requirePositive(consentTimeout, "consentTimeout");
        if (webRtcPort != 0 && (webRtcPort < 1024 || webRtcPort > 65535
                || webRtcPort >= portMin && webRtcPort <= portMax)) {
            throw new IllegalArgumentException("the shared WebRTC port " + webRtcPort
                    + " must lie within 1024-65535 and outside the media port range " + portMin + "-" + portMax);
        }
        requirePositive(idleQuarantine, "idleQuarantine");
        if (idlePairsPerLoop < 0) {
            throw new IllegalArgumentException("idlePairsPerLoop must be 0 (off) or more, was " + idlePairsPerLoop);
        }
        if (maxEndpoints < 1 || eventLoops < 1) {
            throw new IllegalArgumentException("maxEndpoints and eventLoops must be at least 1");
        }
    }

    /** The defaults of the table above, on the given addresses. */
    public static MediaSettings defaults(InetAddress bindAddress, InetAddress advertisedAddress) {
        return new MediaSettings(bindAddress, advertisedAddress, DEFAULT_PORT_MIN, DEFAULT_PORT_MAX,
                Duration.ofSeconds(30), (DEFAULT_PORT_MAX - DEFAULT_PORT_MIN + 1) / 2,
                Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(2), Duration.ofSeconds(5), true,
                Duration.ofSeconds(30), 0, DEFAULT_IDLE_PAIRS_PER_LOOP, Duration.ofSeconds(2),
                DEFAULT_CONNECT_LATCHED_SOCKETS, false);
    }

    public MediaSettings withPortRange(int min, int max) {
        return new MediaSettings(bindAddress, advertisedAddress, min, max, mediaTimeout, maxEndpoints, eventLoops,
                relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withMediaTimeout(Duration timeout) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, timeout, maxEndpoints, eventLoops,
                relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withMaxEndpoints(int max) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, max, eventLoops,
                relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withEventLoops(int loops) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints, loops,
                relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withRelatchAfterSilence(Duration silence) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, silence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withRtcpInterval(Duration interval) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, interval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withPreferNative(boolean preferNativeTransport) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, rtcpInterval, preferNativeTransport, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withConsentTimeout(Duration timeout) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, rtcpInterval, preferNative, timeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    public MediaSettings withWebRtcPort(int port) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, port,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebindIdlePairs);
    }

    /**
     * How many closed endpoints' pairs each loop keeps bound for the next ones (0: none, close them as they close),
     * and how long such a pair rests before it is handed out again.
     */
    public MediaSettings withIdlePairs(int perLoop, Duration quarantine) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort, perLoop,
                quarantine, connectLatchedSockets, prebindIdlePairs);
    }

    /**
     * Whether a leg's RTP socket is {@code connect(2)}ed to the source it latched to (symmetric RTP), while that
     * source is live: the relay's packets to it then leave by the route the kernel cached on the socket, without a
     * route lookup each. Native sockets bound to one address only, never a browser's leg; see
     * {@code relay.Endpoint#connectRtpSocketWhenLatched}.
     */
    public MediaSettings withConnectedLatchedSockets(boolean connect) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connect, prebindIdlePairs);
    }

    /**
     * Whether each loop fills its idle cache with pairs bound at start, off the start-up path (a batch per task on
     * the loop), up to the cache's cap: a cold server taking calls at once then takes bound pairs, as a warm one
     * does, instead of a {@code socket()} and {@code bind()} per socket, the media loops' largest cost in a cold
     * benchmark step (docs/benchmarks.md, 7 December, coldstart). Such a pair never carried a call, so it needs no
     * quarantine; unused it is closed after the idle lifetime (60 s), like any idle pair. No effect when the idle
     * cache is off.
     */
    public MediaSettings withPrebindIdlePairs(boolean prebind) {
        return new MediaSettings(bindAddress, advertisedAddress, portMin, portMax, mediaTimeout, maxEndpoints,
                eventLoops, relatchAfterSilence, rtcpInterval, preferNative, consentTimeout, webRtcPort,
                idlePairsPerLoop, idleQuarantine, connectLatchedSockets, prebind);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
