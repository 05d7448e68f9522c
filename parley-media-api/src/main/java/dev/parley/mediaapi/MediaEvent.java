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
}
