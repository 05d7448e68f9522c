package dev.parley.pbx.directory;

import java.util.Locale;
import java.util.Optional;

/**
 * How the media of one SIP account (a device today, a trunk later) may travel between it and Parley. The policy is
 * per leg: each leg of a call is encrypted or not by its own account's policy, and the call's padlock says whether
 * every leg was.
 *
 * <p>SDES (RFC 4568) puts the SRTP master key in the SDP, so a key is only as secret as the signalling that carries
 * it: Parley offers and accepts {@code a=crypto} only on legs whose signalling is TLS. Over UDP or TCP it never sends
 * a key and never takes one.
 */
public enum MediaPolicy {
    /**
     * SRTP only. An offer without acceptable crypto, or with crypto over signalling that is not TLS, gets
     * {@code 488 Not Acceptable Here}; a callee leg that cannot carry SRTP is not rung.
     */
    REQUIRED,
    /** SRTP when the leg's signalling is TLS and the peer offers or accepts it; plain RTP otherwise. The default. */
    PREFERRED,
    /** Plain RTP only: crypto in an offer is ignored (the answer has none), none is offered. */
    OFF;

    /** The word in the database, the CLI and the configuration: {@code required}, {@code preferred}, {@code off}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy a {@link #word()} names, case-insensitively. */
    public static Optional<MediaPolicy> fromWord(String word) {
        if (word == null) {
            return Optional.empty();
        }
        for (MediaPolicy p : values()) {
            if (p.word().equalsIgnoreCase(word.strip())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return word();
    }
}
