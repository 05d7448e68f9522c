package dev.parley.media.webrtc;

import dev.parley.common.Scheduler;
import dev.parley.media.protect.Protections;
import dev.parley.media.protect.ReceiveProtection;
import dev.parley.media.protect.SendProtection;
import dev.parley.mediaapi.CertificateFingerprint;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.MediaEvent;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.mediaapi.WebRtcTransport;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.dtls.DtlsConnection;
import dev.parley.rtp.dtls.DtlsFailure;
import dev.parley.rtp.dtls.DtlsFingerprint;
import dev.parley.rtp.dtls.DtlsRole;
import dev.parley.rtp.dtls.DtlsSrtpKeys;
import dev.parley.rtp.dtls.DtlsSrtpSession;
import dev.parley.rtp.ice.IceCredentials;
import dev.parley.rtp.ice.IceLiteAgent;
import dev.parley.rtp.stun.TransportAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * ICE-lite and DTLS-SRTP for one browser leg, in front of the relay. The endpoint that owns it demultiplexes its
 * socket by first octet (RFC 7983) and hands STUN to {@link #onStun}, DTLS to {@link #onDtls}, and asks
 * {@link #admits} before it decrypts SRTP/SRTCP and {@link #target} before it sends.
 *
 * <ul>
 *   <li><b>ICE</b> (RFC 8445 §2.5): Parley is lite and controlled; the browser's checks are answered by the
 *       {@link IceLiteAgent}, and each address that authenticated a check becomes <em>validated</em>. Media goes to
 *       the selected (nominated) pair only: the selected pair is the latch (RFC 8445 §12.1: no symmetric-RTP
 *       guessing from unauthenticated packets).</li>
 *   <li><b>DTLS</b> (RFC 5763/5764): datagrams are fed to the session only from validated addresses. The session
 *       sends no cookie (a HelloVerifyRequest round trip), so ICE is what proves the peer owns its address
 *       (RFC 6347 §4.2.1); an unvalidated source could otherwise make Parley send its certificate flight to a
 *       victim. As DTLS client, Parley starts once a check has shown the browser's address.</li>
 *   <li><b>Keys</b>: when the handshake is done and the browser's certificate matched its {@code a=fingerprint},
 *       the exported keys become the leg's SRTP contexts ({@link Host#protect}) and
 *       {@link MediaEvent.WebRtcConnected} is emitted. A failure, or the browser's close_notify, leaves the leg
 *       refusing all media and emits {@link MediaEvent.DtlsFailed}.</li>
 *   <li><b>Consent</b> (RFC 7675 §5.1): when the selected pair goes the consent limit without a check, nothing
 *       more is sent or accepted and {@link MediaEvent.ConsentExpired} tells the PBX to end the call.</li>
 * </ul>
 *
 * <p>Threading: confined to the endpoint's event loop. The agent's timer runs on the {@link Scheduler} the
 * endpoint gives, and the DTLS session (a virtual thread) posts its output through the endpoint's {@link Executor},
 * so every method and callback here runs on that loop.
 */
public final class WebRtcLeg {
    /** The endpoint as this leg sees it. Called on the endpoint's loop. */
    public interface Host {
        /** Sends a datagram that is not media (a STUN answer, a DTLS record) from the leg's socket. */
        void send(byte[] array, int offset, int length, InetSocketAddress to);

        /** Replaces the SRTP contexts of both directions. */
        void protect(ReceiveProtection receive, SendProtection send);

        void emit(MediaEvent event);

        /** A check from {@code remote} authenticated: its DTLS and media may come now (a shared port routes them). */
        default void validated(InetSocketAddress remote) {
        }

        /** The browser nominated {@code remote}: media goes there. */
        default void selected(InetSocketAddress remote) {
        }
    }

    /** Validated addresses remembered at once: a browser checks one pair per candidate, a few at most. */
    private static final int MAX_VALIDATED = 16;

    private final EndpointId id;
    private final WebRtcSetup setup;
    private final Executor loop;
    private final Host host;
    private final IceCredentials local;
    private final IceLiteAgent agent;
    /** The agent's answer: at most 108 octets (see {@link IceLiteAgent#receive}). */
    private final PacketBuffer answer = new PacketBuffer(128);
    private final LinkedHashSet<InetSocketAddress> validated = new LinkedHashSet<>();

    private Protection.DtlsSrtp dtlsParameters;
    private List<DtlsFingerprint> remoteFingerprints = List.of();
    private DtlsSrtpSession session;
    private InetSocketAddress selected;
    /** Where DTLS records go: the last validated source DTLS came from, else the first validated address. */
    private InetSocketAddress dtlsPeer;
    private boolean consentLost;
    private boolean closed;

    /**
     * @param scheduler runs the agent's consent timer on the endpoint's loop
     * @param loop      runs a task on the endpoint's loop, in submission order (the DTLS session's events)
     */
    public WebRtcLeg(EndpointId id, WebRtcSetup setup, Scheduler scheduler, Executor loop, Host host) {
        this.id = Objects.requireNonNull(id, "id");
        this.setup = Objects.requireNonNull(setup, "setup");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.host = Objects.requireNonNull(host, "host");
        this.local = IceCredentials.random(setup.random());
        this.agent = new IceLiteAgent(local, setup.ice(), scheduler, new IceEvents());
    }

    /** What Parley's SDP advertises for this leg: its ICE credentials and certificate fingerprint. */
    public WebRtcTransport advertised() {
        CertificateFingerprint fingerprint = CertificateFingerprint
                .parse(setup.certificate().fingerprint().toSdpValue()).orElseThrow();
        return new WebRtcTransport(new dev.parley.mediaapi.IceCredentials(local.ufrag(), local.password()),
                fingerprint);
    }

    /**
     * Applies the browser's parameters: its ICE ufrag, and the DTLS role and fingerprints. The session starts (or
     * restarts, when a re-offer changed them) here; as client it starts once an address is validated.
     *
     * @throws IllegalArgumentException when the parameters are not a browser leg's
     */
    public void configure(EndpointParameters p) {
        if (!p.isWebRtc() || !p.rtcpMux() || !(p.receive() instanceof Protection.DtlsSrtp dtls)
                || !p.send().equals(dtls)) {
            throw new IllegalArgumentException("a WebRTC endpoint needs rtcp-mux, the browser's ICE credentials and "
                    + "DTLS-SRTP both ways (EndpointParameters.webRtc)");
        }
        if (closed) {
            return;
        }
        // RFC 8445 §7.3: from now on a check must name the browser's ufrag as the second half of USERNAME.
        agent.remoteUfrag(p.remoteIce().ufrag());
        if (dtls.equals(dtlsParameters)) {
            return;
        }
        if (session != null) {
            // A re-offer with a new fingerprint or role: a new association (RFC 8842 §5.5), new keys.
            session.close();
            session = null;
            host.protect(Protections.unkeyedReceiving(), Protections.unkeyedSending());
        }
        dtlsParameters = dtls;
        // RFC 8122 §5: fingerprints with a hash function Parley does not know are ignored.
        remoteFingerprints = dtls.remoteFingerprints().stream()
                .map(f -> DtlsFingerprint.parse(f.toSdpValue()))
                .flatMap(Optional::stream)
                .toList();
        if (remoteFingerprints.isEmpty()) {
            host.emit(new MediaEvent.DtlsFailed(id, "no a=fingerprint with a hash function Parley supports"));
            return;
        }
        startWhenPossible();
    }

    private void startWhenPossible() {
        if (closed || session != null || dtlsParameters == null || remoteFingerprints.isEmpty()) {
            return;
        }
        DtlsRole role = dtlsParameters.role() == Protection.DtlsSrtp.Role.SERVER ? DtlsRole.SERVER : DtlsRole.CLIENT;
        if (role == DtlsRole.CLIENT && dtlsPeer == null) {
            return; // the ClientHello goes to an address a check has shown: wait for one
        }
        SessionEvents events = new SessionEvents();
        session = DtlsSrtpSession.start(role, setup.certificate(), remoteFingerprints, setup.dtls(), events, loop);
        events.session = session;
    }

    /** A STUN datagram from {@code from}: answered when the agent has an answer. */
    public void onStun(byte[] array, int offset, int length, InetSocketAddress from) {
        if (closed) {
            return;
        }
        TransportAddress source = TransportAddress.of(from.getAddress().getAddress(), from.getPort());
        if (agent.receive(array, offset, length, source, answer).hasResponse()) {
            host.send(answer.array(), answer.offset(), answer.length(), from);
        }
    }

    /** A DTLS datagram from {@code from}; false when it was dropped (unvalidated source, no session). */
    public boolean onDtls(byte[] array, int offset, int length, InetSocketAddress from) {
        if (closed || session == null || !validated.contains(from)) {
            return false;
        }
        dtlsPeer = from;
        return session.receive(array, offset, length);
    }

    /** Whether SRTP/SRTCP from {@code from} may be processed: only from an address that passed a check. */
    public boolean admits(InetSocketAddress from) {
        return !consentLost && !closed && validated.contains(from);
    }

    /**
     * Authenticated SRTP/SRTCP came from {@code from}: when the browser sends from another valid pair than the
     * selected one, the agent may move the selection there ({@link IceLiteAgent#mediaFrom}).
     */
    public void onMedia(InetSocketAddress from) {
        if (!closed && !consentLost && selected != null && !from.equals(selected)) {
            agent.mediaFrom(TransportAddress.of(from.getAddress().getAddress(), from.getPort()));
        }
    }

    /** Where media goes: the selected pair; null before a nomination and after consent was lost. */
    public InetSocketAddress target() {
        return consentLost || closed ? null : selected;
    }

    /** Stops the agent and the DTLS session (its virtual thread ends; close_notify is not waited for). */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        agent.close();
        if (session != null) {
            session.close();
        }
    }

    private static InetSocketAddress socketAddress(TransportAddress address) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address.address()), address.port());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a TransportAddress has 4 or 16 octets", e);
        }
    }

    private static SrtpSuite suite(DtlsSrtpKeys keys) {
        return SrtpSuite.fromSdesName(keys.profile().sdesName()).orElseThrow(() -> new IllegalStateException(
                "DTLS negotiated " + keys.profile() + ", which the media API does not name"));
    }

    @Override
    public String toString() {
        return "WebRtcLeg[" + id + ", " + agent + ", dtls " + (session == null ? "not started" : session.state())
                + "]";
    }

    private final class IceEvents implements IceLiteAgent.Listener {
        @Override
        public void onPairValidated(TransportAddress remote) {
            InetSocketAddress address = socketAddress(remote);
            validated.add(address);
            host.validated(address);
            // Bounded: forget the oldest address that is not the selected one.
            for (Iterator<InetSocketAddress> oldest = validated.iterator();
                    validated.size() > MAX_VALIDATED && oldest.hasNext(); ) {
                if (!oldest.next().equals(selected)) {
                    oldest.remove();
                }
            }
            if (dtlsPeer == null) {
                dtlsPeer = address;
                startWhenPossible();
            }
        }

        @Override
        public void onPairSelected(TransportAddress remote) {
            selected = socketAddress(remote);
            validated.add(selected);
            host.selected(selected);
        }

        @Override
        public void onConsentExpired(TransportAddress remote) {
            // RFC 7675 §5.1: stop sending at once; the agent is closed, only a new offer could bring media back.
            consentLost = true;
            selected = null;
            host.emit(new MediaEvent.ConsentExpired(id));
        }
    }

    /** One session's output; ignored once that session is no longer the leg's (restarted, or the leg closed). */
    private final class SessionEvents implements DtlsSrtpSession.Listener {
        private DtlsSrtpSession session;

        private boolean current() {
            return !closed && session != null && session == WebRtcLeg.this.session;
        }

        @Override
        public void onSend(byte[] datagram) {
            if (current() && dtlsPeer != null) {
                host.send(datagram, 0, datagram.length, dtlsPeer);
            }
        }

        @Override
        public void onConnected(DtlsConnection connection) {
            if (!current()) {
                return;
            }
            DtlsSrtpKeys keys = connection.keys();
            host.protect(Protections.receiving(keys.newReceiver()), Protections.sending(keys.newSender()));
            host.emit(new MediaEvent.WebRtcConnected(id, suite(keys), dtlsPeer));
        }

        @Override
        public void onFailed(DtlsFailure failure) {
            if (current()) {
                host.protect(Protections.unkeyedReceiving(), Protections.unkeyedSending());
                host.emit(new MediaEvent.DtlsFailed(id, failure.reason() + ": " + failure.detail()));
            }
        }

        @Override
        public void onClosed() {
            if (current()) {
                host.protect(Protections.unkeyedReceiving(), Protections.unkeyedSending());
                host.emit(new MediaEvent.DtlsFailed(id, "the browser closed the DTLS association (close_notify)"));
            }
        }
    }
}
