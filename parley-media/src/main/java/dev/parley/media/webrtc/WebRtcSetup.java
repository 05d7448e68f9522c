package dev.parley.media.webrtc;

import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.ice.IceLiteSettings;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * What every browser leg of one media plane shares: the DTLS certificate Parley presents (one per process: its
 * fingerprint goes into every SDP, RFC 8122), the ICE-lite and DTLS tunables, and the random source for ICE
 * credentials.
 */
public record WebRtcSetup(DtlsCertificate certificate, IceLiteSettings ice, DtlsSettings dtls, SecureRandom random) {
    public WebRtcSetup {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(dtls, "dtls");
        Objects.requireNonNull(random, "random");
    }
}
