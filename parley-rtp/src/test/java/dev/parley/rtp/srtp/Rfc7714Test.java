package dev.parley.rtp.srtp;

import static dev.parley.rtp.srtp.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The AEAD_AES_128_GCM vectors of RFC 7714 §16.1 (SRTP) and §17.1 (SRTCP). The RFC gives session keys, not master
 * keys, so these drive {@link GcmTransform} directly; the derivation is covered by {@link Rfc3711Test} and the
 * differential test against jitsi-srtp.
 */
class Rfc7714Test {
    // §16 / §17: "Key" and "Salt" ("Quid pro quo")
    private static final byte[] KEY = bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = bytes("517569642070726f2071756f");

    // §16.1: the RTP packet, SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0
    private static final byte[] RTP = bytes("""
            8040f17b 8041f8d3 5501a0b2 47616c6c
            69612065 7374206f 6d6e6973 20646976
            69736120 696e2070 61727465 73207472
            6573""");

    // §16.1.1: "Encrypted and Tagged Packet"
    private static final byte[] SRTP = bytes("""
            8040f17b 8041f8d3 5501a0b2 f24de3a3
            fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf
            8833899d 7f27beb1 6a9152cf 765ee439
            0cce""");

    // §17.1: the RTCP compound (SR + SDES), sender SSRC "Mars", SRTCP index 0x5d4
    private static final byte[] RTCP = bytes("""
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef""");

    // §17.1.1: "Encrypted and Tagged Packet" with the E flag and index after the tag
    private static final byte[] SRTCP = bytes("""
            81c8000d 4d617273 63e94885 dcdab67c
            a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded
            0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4""");

    private static GcmTransform transform() {
        return new GcmTransform(KEY, SALT, KEY, SALT);
    }

    @Test
    void section16_1_1_srtpEncryption() {
        byte[] packet = Arrays.copyOf(RTP, RTP.length + 16);
        transform().protectRtp(packet, 0, RTP.length, 12, 0x5501a0b2, 0xf17b);
        assertThat(packet).isEqualTo(SRTP);
    }

    @Test
    void section16_1_2_srtpDecryption() {
        byte[] packet = SRTP.clone();
        assertThat(transform().unprotectRtp(packet, 0, packet.length, 12, 0x5501a0b2, 0xf17b)).isTrue();
        assertThat(Arrays.copyOf(packet, RTP.length)).isEqualTo(RTP);
    }

    @Test
    void section16_srtpDecryptionRefusesATamperedTag() {
        byte[] packet = SRTP.clone();
        packet[packet.length - 1] ^= 1;
        assertThat(transform().unprotectRtp(packet, 0, packet.length, 12, 0x5501a0b2, 0xf17b)).isFalse();
    }

    @Test
    void section17_1_1_srtcpEncryption() {
        byte[] packet = Arrays.copyOf(RTCP, RTCP.length + 20);
        transform().protectRtcp(packet, 0, RTCP.length, 0x4d617273, 0x5d4);
        assertThat(packet).isEqualTo(SRTCP);
    }

    @Test
    void section17_1_2_srtcpDecryption() {
        byte[] packet = SRTCP.clone();
        assertThat(transform().unprotectRtcp(packet, 0, packet.length, 0x4d617273, 0x800005d4)).isTrue();
        assertThat(Arrays.copyOf(packet, RTCP.length)).isEqualTo(RTCP);
    }
}
