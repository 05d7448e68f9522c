package dev.parley.mediaapi;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The media plane as the PBX drives it. A call opens one endpoint per leg, configures each after offer/answer,
 * and bridges the two; media then flows between them without the PBX seeing a packet.
 */
public interface MediaService {

    /**
     * Opens an endpoint on a free RTP/RTCP port pair from the configured range. Completes exceptionally with
     * {@link MediaUnavailableException} when the range is exhausted. A {@link EndpointKind#WEBRTC} endpoint is a
     * browser's leg (ICE-lite, DTLS-SRTP, rtcp-mux): its {@link LocalMedia#webRtc()} says what to advertise, and a
     * media plane may put many of them on one shared port.
     */
    CompletionStage<LocalMedia> open(EndpointRequest request);

    /** Sets or replaces a leg's parameters (after an answer, a re-INVITE, a hold). Unknown ids are ignored. */
    void configure(EndpointId endpoint, EndpointParameters parameters);

    /**
     * Relays media between two endpoints in both directions, re-protecting per leg and converting payload
     * formats when the legs share no codec. Replaces any earlier bridge of either endpoint.
     */
    void bridge(EndpointId a, EndpointId b);

    /** Stops relaying to and from this endpoint; it stays open. */
    void unbridge(EndpointId endpoint);

    /** Closes the endpoint and returns its ports to the pool. Idempotent. */
    void close(EndpointId endpoint);

    /** The endpoint's counters, or {@code null} when it is not open. */
    EndpointStats stats(EndpointId endpoint);

    /**
     * The payload formats this media plane converts between when two bridged legs share no codec (e.g. PCMU and
     * PCMA), each with the payload type it suggests. The PBX offers a callee these besides the caller's codecs, so
     * that a callee that shares nothing with the caller can still be reached. The single source of that list: a
     * media plane that learns a codec adds it here. Empty (the default): no conversion, legs must share a codec.
     */
    default List<PayloadFormat> convertibleFormats() {
        return List.of();
    }

    /** Registers a listener for events of every endpoint; called on media threads. */
    void addListener(Listener listener);

    interface Listener {
        void onMediaEvent(MediaEvent event);
    }
}
