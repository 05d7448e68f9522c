package dev.parley.rtp.dtls;

import dev.parley.rtp.srtp.SrtpProfile;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The {@code use_srtp} protection profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2) of the profiles Parley's SRTP
 * implements. The AES-256 GCM profile (0x0008), which Chromium also offers, is not among them.
 */
final class SrtpProtectionProfiles {
    private SrtpProtectionProfiles() {
    }

    static int idOf(SrtpProfile profile) {
        return switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80; // 0x0001
            case AES_CM_128_HMAC_SHA1_32 -> SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32; // 0x0002
            case AEAD_AES_128_GCM -> SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM; // 0x0007
        };
    }

    static Optional<SrtpProfile> forId(int id) {
        for (SrtpProfile profile : SrtpProfile.values()) {
            if (idOf(profile) == id) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }

    static int[] ids(List<SrtpProfile> profiles) {
        return profiles.stream().mapToInt(SrtpProtectionProfiles::idOf).toArray();
    }

    /** RFC 5764 §4.1.1: the server picks; Parley takes the first of its own preferences that the client offered. */
    static Optional<SrtpProfile> choose(List<SrtpProfile> preferences, int[] offered) {
        for (SrtpProfile preferred : preferences) {
            int id = idOf(preferred);
            for (int candidate : offered) {
                if (candidate == id) {
                    return Optional.of(preferred);
                }
            }
        }
        return Optional.empty();
    }
}
