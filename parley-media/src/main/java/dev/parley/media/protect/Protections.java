package dev.parley.media.protect;

import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;

/**
 * Turns the control plane's {@link Protection} into the contexts that do the work. A fresh context per call: the
 * endpoint keeps it for as long as the key stays the same (its replay list and rollover counters live in it) and
 * asks for a new one only when a re-INVITE changes the key.
 */
public final class Protections {
    /** The largest trailer any profile appends (GCM: 16-octet tag, plus the 4-octet SRTCP index). */
    public static final int MAX_OVERHEAD = 20;

    private Protections() {
    }

    /**
     * The context for what a peer sends. For {@link Protection.DtlsSrtp} the keys are not in the parameters but
     * exported by the leg's handshake: until then the context refuses everything, and the leg replaces it with
     * {@link #receiving(SrtpReceiver)} once keyed.
     */
    public static ReceiveProtection receiving(Protection protection) {
        return switch (protection) {
            case Protection.Plain plain -> PlainRtp.INSTANCE;
            case Protection.Sdes sdes -> new SdesReceiving(
                    new SrtpReceiver(profile(sdes.suite()), sdes.masterKey(), sdes.masterSalt()));
            case Protection.DtlsSrtp dtls -> AwaitingDtls.INSTANCE;
        };
    }

    public static SendProtection sending(Protection protection) {
        return switch (protection) {
            case Protection.Plain plain -> PlainRtp.INSTANCE;
            case Protection.Sdes sdes -> new SdesSending(
                    new SrtpSender(profile(sdes.suite()), sdes.masterKey(), sdes.masterSalt()));
            case Protection.DtlsSrtp dtls -> AwaitingDtls.INSTANCE;
        };
    }

    /** A leg's receiving side keyed by a DTLS-SRTP handshake (RFC 5764 §4.2). */
    public static ReceiveProtection receiving(SrtpReceiver keyed) {
        return new SdesReceiving(keyed);
    }

    /** A leg's sending side keyed by a DTLS-SRTP handshake (RFC 5764 §4.2). */
    public static SendProtection sending(SrtpSender keyed) {
        return new SdesSending(keyed);
    }

    /** Refuses everything both ways: a DTLS-SRTP leg whose handshake failed or was closed. */
    public static ReceiveProtection unkeyedReceiving() {
        return AwaitingDtls.INSTANCE;
    }

    public static SendProtection unkeyedSending() {
        return AwaitingDtls.INSTANCE;
    }

    private static SrtpProfile profile(SrtpSuite suite) {
        return SrtpProfile.fromSdesName(suite.sdesName()).orElseThrow(() -> new IllegalArgumentException(
                "parley-rtp has no SRTP profile " + suite.sdesName()));
    }
}
