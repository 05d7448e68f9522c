package dev.parley.mediaapi;

import java.net.InetSocketAddress;

/** What the media plane tells the control plane. */
public sealed interface MediaEvent {

    EndpointId endpoint();

    /**
     * No media arrived for the configured time on an endpoint whose peer should be sending
     * ({@link Direction#peerSends()}). The PBX ends the call with a {@code Reason} header.
     */
    record MediaTimeout(EndpointId endpoint) implements MediaEvent {
    }

    /** Symmetric RTP: media now comes from (and goes to) this address instead of the one in the SDP. */
    record SourceLatched(EndpointId endpoint, InetSocketAddress source) implements MediaEvent {
    }

    /** An RFC 4733 telephone event ended (reported once per event, at its end packet). */
    record TelephoneEvent(EndpointId endpoint, int event, int durationMillis) implements MediaEvent {
    }

    /**
     * A {@link EndpointKind#WEBRTC} leg's DTLS handshake finished with a matching peer fingerprint: SRTP with
     * {@code suite} now flows to and from {@code remote}, the ICE-selected address.
     */
    record WebRtcConnected(EndpointId endpoint, SrtpSuite suite, InetSocketAddress remote) implements MediaEvent {
    }

    /**
     * A {@link EndpointKind#WEBRTC} leg lost the browser's consent (RFC 7675 §5.1: no authenticated connectivity
     * check for the consent limit, e.g. the page was closed or the network went away). The endpoint no longer
     * sends; the PBX ends the call.
     */
    record ConsentExpired(EndpointId endpoint) implements MediaEvent {
    }

    /**
     * A {@link EndpointKind#WEBRTC} leg's DTLS handshake failed (certificate fingerprint mismatch, no common SRTP
     * profile, timeout, alert from the peer) or the peer closed the DTLS association: no media flows on this leg;
     * the PBX ends the call.
     *
     * @param reason why, for logs; never key material
     */
    record DtlsFailed(EndpointId endpoint, String reason) implements MediaEvent {
    }
}
