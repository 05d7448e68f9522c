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

    public static ReceiveProtection receiving(Protection protection) {
        return switch (protection) {
            case Protection.Plain plain -> PlainRtp.INSTANCE;
            case Protection.Sdes sdes -> new SdesReceiving(
                    new SrtpReceiver(profile(sdes.suite()), sdes.masterKey(), sdes.masterSalt()));
            case Protection.DtlsSrtp dtls -> throw keyedByHandshake();
        };
    }

    public static SendProtection sending(Protection protection) {
        return switch (protection) {
            case Protection.Plain plain -> PlainRtp.INSTANCE;
            case Protection.Sdes sdes -> new SdesSending(
                    new SrtpSender(profile(sdes.suite()), sdes.masterKey(), sdes.masterSalt()));
            case Protection.DtlsSrtp dtls -> throw keyedByHandshake();
        };
    }

    /** DTLS-SRTP keys are exported by the endpoint's handshake, not carried in the parameters. */
    private static IllegalArgumentException keyedByHandshake() {
        return new IllegalArgumentException("DTLS-SRTP is keyed by the WebRTC endpoint's handshake");
    }

    private static SrtpProfile profile(SrtpSuite suite) {
        return SrtpProfile.fromSdesName(suite.sdesName()).orElseThrow(() -> new IllegalArgumentException(
                "parley-rtp has no SRTP profile " + suite.sdesName()));
    }
}
