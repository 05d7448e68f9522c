package dev.parley.rtp.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One DTLS-SRTP association with one peer (RFC 5764): datagrams in, datagrams and events out.
 *
 * <p><b>Driving it.</b> {@link #start} begins the handshake in the given {@link DtlsRole}. The media plane passes
 * every DTLS datagram from the peer (RFC 7983: first octet 20–63) to {@link #receive}, which copies it into a
 * bounded queue and returns at once: it never blocks and may be called from an event loop. Everything the session
 * produces — datagrams to send, then {@code onConnected} with the SRTP keys or {@code onFailed} — reaches the
 * {@link Listener} through the caller's {@link Executor} (an endpoint passes its own event loop), in order, so the
 * caller's state is touched by its own thread only. {@link #close} sends close_notify and ends the session.
 *
 * <p><b>Why a virtual thread.</b> Bouncy Castle's {@code DTLSServerProtocol.accept} and
 * {@code DTLSClientProtocol.connect} block in {@code DatagramTransport.receive} until a datagram or a timeout, and
 * Bouncy Castle has no non-blocking DTLS API. Each session runs them on its own virtual thread over a
 * {@link QueueDatagramTransport}: a parked virtual thread costs a few hundred bytes and no carrier thread, the
 * handshake's CPU work (ECDHE, ECDSA) happens off the event loop, and no part of Bouncy Castle is reimplemented.
 * After the handshake the thread stays to answer the peer's retransmitted Finished (RFC 6347 §4.2.4: the server
 * resends its last flight when the client's arrives again) and to notice close_notify or a fatal alert.
 *
 * <p><b>Time.</b> Retransmission and the handshake deadline are Bouncy Castle's own timers on that thread
 * (wall-clock {@code System.currentTimeMillis}: RFC 6347 §4.2.4.1's 1 s initial timer, doubled on each
 * retransmission up to 60 s; {@link DtlsSettings#handshakeTimeout()} ends it). They cannot run in virtual time,
 * so tests of this class take real milliseconds; nothing here needs a scheduler from the caller.
 *
 * <p><b>Security.</b> The peer must present a certificate that hashes to one of {@code remoteFingerprints} (from
 * its SDP), else the handshake fails with {@link DtlsFailure.Reason#FINGERPRINT_MISMATCH} and no keys exist. The
 * server sends no HelloVerifyRequest cookie: DTLS is only fed from an address that has passed ICE connectivity
 * checks with the session's credentials (RFC 8445 §7.3), which is the return-routability proof the cookie gives
 * (RFC 6347 §4.2.1), and a cookie costs a round trip. Nothing is logged; failure details carry alert names only.
 */
public final class DtlsSrtpSession {
    /**
     * Receives a session's output; called on the session's {@link Executor}, one call at a time, in order. Methods
     * must not throw: with a direct executor an exception would surface inside the handshake and end it.
     */
    public interface Listener {
        /** A datagram for the peer (one DTLS record, at most {@link DtlsSettings#mtu()} octets). */
        void onSend(byte[] datagram);

        /** The handshake is done, the peer's certificate matched its SDP, and SRTP is keyed. Called once. */
        void onConnected(DtlsConnection connection);

        /** The handshake failed, or the peer ended the association with a fatal alert. Called at most once. */
        void onFailed(DtlsFailure failure);

        /** The peer closed the association with close_notify (RFC 5246 §7.2.1). */
        default void onClosed() {
        }
    }

    /** Lifecycle, readable from any thread. */
    public enum State {
        HANDSHAKING,
        CONNECTED,
        FAILED,
        CLOSED
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong IDS = new AtomicLong();

    private final DtlsRole role;
    private final Listener listener;
    private final Executor events;
    private final QueueDatagramTransport transport;
    private final HandshakeOutcome outcome;
    private final DtlsSettings settings;
    private volatile State state = State.HANDSHAKING;
    private volatile boolean closing;
    private volatile long dropped;

    private DtlsSrtpSession(DtlsRole role, DtlsCertificate certificate, List<DtlsFingerprint> remoteFingerprints,
            DtlsSettings settings, Listener listener, Executor events) {
        this.role = Objects.requireNonNull(role, "role");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.events = Objects.requireNonNull(events, "events");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (remoteFingerprints.isEmpty()) {
            throw new IllegalArgumentException("the peer's a=fingerprint is needed to authenticate it (RFC 5763 §5)");
        }
        this.outcome = new HandshakeOutcome(role, Objects.requireNonNull(certificate, "certificate"),
                remoteFingerprints, new BcTlsCrypto(RANDOM));
        this.transport = new QueueDatagramTransport(settings.inboundQueue(), settings.mtu(),
                datagram -> post(() -> listener.onSend(datagram)));
    }

    /**
     * Starts a session. As {@link DtlsRole#CLIENT} it sends its ClientHello at once; as {@link DtlsRole#SERVER} it
     * waits for the peer's.
     *
     * @param remoteFingerprints the peer's {@code a=fingerprint} values; its certificate must match one
     * @param events where the listener runs (e.g. the endpoint's event loop); must run tasks in submission order
     */
    public static DtlsSrtpSession start(DtlsRole role, DtlsCertificate certificate,
            List<DtlsFingerprint> remoteFingerprints, DtlsSettings settings, Listener listener, Executor events) {
        DtlsSrtpSession session = new DtlsSrtpSession(role, certificate, remoteFingerprints, settings, listener,
                events);
        Thread.ofVirtual().name("dtls-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + IDS.incrementAndGet())
                .start(session::run);
        return session;
    }

    /**
     * Hands a datagram from the peer to the session; returns at once (the bytes are copied). False when it was
     * dropped: the session has ended, its queue is full, or the datagram is longer than any DTLS record we accept.
     */
    public boolean receive(byte[] datagram, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        boolean queued = state != State.FAILED && state != State.CLOSED && transport.offer(datagram, offset, length);
        if (!queued) {
            dropped++;
        }
        return queued;
    }

    /** Sends close_notify when connected, ends the session's thread, and stops all events but that datagram. */
    public void close() {
        closing = true;
        transport.shutDown();
    }

    public DtlsRole role() {
        return role;
    }

    public State state() {
        return state;
    }

    /** Datagrams {@link #receive} refused (a full queue or a closed session). Not exact under contention. */
    public long droppedDatagrams() {
        return dropped;
    }

    private void run() {
        DTLSTransport dtls;
        try {
            dtls = role == DtlsRole.SERVER ? serverHandshake() : clientHandshake();
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        DtlsConnection connection = new DtlsConnection(outcome.keys(), outcome.remoteCertificate());
        state = State.CONNECTED;
        post(() -> listener.onConnected(connection));
        serviceConnection(dtls);
    }

    private DTLSTransport serverHandshake() throws IOException {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false); // see the class comment: ICE already proved the address
        return protocol.accept(new SrtpDtlsServer(outcome, settings), transport);
    }

    private DTLSTransport clientHandshake() throws IOException {
        return new DTLSClientProtocol().connect(new SrtpDtlsClient(outcome, settings), transport);
    }

    /**
     * After the handshake: keep reading so Bouncy Castle can resend its final flight when the peer's last flight
     * is retransmitted, and so close_notify and fatal alerts are seen. Application data (a future data channel's
     * SCTP) is read and dropped.
     */
    private void serviceConnection(DTLSTransport dtls) {
        byte[] buffer = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
        try {
            while (true) {
                dtls.receive(buffer, 0, buffer.length, 0);
            }
        } catch (QueueDatagramTransport.ShutdownSignal signal) {
            if (closing) {
                closeQuietly(dtls);
                state = State.CLOSED;
            } else {
                state = State.CLOSED;
                post(listener::onClosed);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Exception e) {
        if (closing) {
            state = State.CLOSED;
            return;
        }
        state = State.FAILED;
        DtlsFailure failure = describe(e);
        post(() -> listener.onFailed(failure));
    }

    private DtlsFailure describe(Exception e) {
        if (outcome.failure() != null) {
            return new DtlsFailure(outcome.failure(), outcome.failureDetail());
        }
        if (e instanceof TlsTimeoutException) {
            return new DtlsFailure(DtlsFailure.Reason.TIMEOUT,
                    "no handshake within " + settings.handshakeTimeout().toMillis() + " ms");
        }
        if (e instanceof TlsFatalAlertReceived received) {
            return new DtlsFailure(DtlsFailure.Reason.ALERT_RECEIVED,
                    "peer sent alert " + AlertDescription.getText(received.getAlertDescription()));
        }
        if (e instanceof TlsFatalAlert raised) {
            return new DtlsFailure(DtlsFailure.Reason.PROTOCOL_ERROR,
                    "alert " + AlertDescription.getText(raised.getAlertDescription()));
        }
        return new DtlsFailure(DtlsFailure.Reason.PROTOCOL_ERROR, e.getClass().getSimpleName());
    }

    private static void closeQuietly(DTLSTransport dtls) {
        try {
            dtls.close(); // sends close_notify through the transport's callback
        } catch (IOException e) {
            // the association is going away either way
        }
    }

    private void post(Runnable task) {
        try {
            events.execute(task);
        } catch (RejectedExecutionException e) {
            // the owner's executor has shut down: nobody is left to tell
        }
    }
}
