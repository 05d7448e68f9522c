package dev.parley.rtp.dtls;

import dev.parley.rtp.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;

/**
 * Tunables of a DTLS-SRTP session.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th><th>why</th></tr>
 * <tr><td>profiles</td><td>AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32</td><td>server's
 * order of preference (RFC 5764 §4.1.1); the client offers them in this order</td></tr>
 * <tr><td>handshakeTimeout</td><td>20 s</td><td>a handshake not done by then fails with {@code TIMEOUT}</td></tr>
 * <tr><td>initialRetransmit</td><td>1 s</td><td>RFC 6347 §4.2.4.1; Bouncy Castle doubles it per retransmission
 * up to 60 s</td></tr>
 * <tr><td>mtu</td><td>1200</td><td>largest datagram Parley sends: handshake messages are fragmented to fit, as
 * browsers do, so no path needs IP fragmentation</td></tr>
 * <tr><td>inboundQueue</td><td>64 datagrams</td><td>input waiting for the handshake thread; more is dropped, as a
 * full socket buffer would</td></tr>
 * </table>
 */
public record DtlsSettings(
        List<SrtpProfile> profiles, Duration handshakeTimeout, Duration initialRetransmit, int mtu, int inboundQueue) {
    public DtlsSettings {
        profiles = List.copyOf(profiles);
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile is needed");
        }
        if (mtu < 256 || mtu > 65_507) {
            throw new IllegalArgumentException("mtu must be 256..65507, got " + mtu);
        }
        if (inboundQueue < 1) {
            throw new IllegalArgumentException("inboundQueue must be positive");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || initialRetransmit.isNegative()
                || initialRetransmit.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static DtlsSettings defaults() {
        return new DtlsSettings(List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                SrtpProfile.AES_CM_128_HMAC_SHA1_32), Duration.ofSeconds(20), Duration.ofSeconds(1), 1200, 64);
    }

    public DtlsSettings withProfiles(List<SrtpProfile> newProfiles) {
        return new DtlsSettings(newProfiles, handshakeTimeout, initialRetransmit, mtu, inboundQueue);
    }

    public DtlsSettings withHandshakeTimeout(Duration timeout) {
        return new DtlsSettings(profiles, timeout, initialRetransmit, mtu, inboundQueue);
    }
}
