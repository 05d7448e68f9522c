package dev.parley.rtp.srtp;

import static dev.parley.rtp.srtp.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The test vectors of RFC 3711 Appendix B, byte-exact. */
class Rfc3711Test {

    /** B.2: the AES-CM keystream for session key 2B7E..., salt F0F1...FD (shifted), SSRC 0, index 0. */
    @Test
    void appendixB2_aesCounterModeKeystream() {
        AesCounterMode cipher = new AesCounterMode(bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        int blocks = 65282; // "Keystream segment length: 1044512 octets (65282 AES blocks)"
        byte[] stream = new byte[blocks * 16];
        cipher.keystream(iv, stream, 0, stream.length);

        assertThat(block(stream, 0)).isEqualTo(bytes("E03EAD0935C95E80E166B16DD92B4EB4"));
        assertThat(block(stream, 1)).isEqualTo(bytes("D23513162B02D0F72A43A2FE4A5F97AB"));
        assertThat(block(stream, 2)).isEqualTo(bytes("41E95B3BB0A2E8DD477901E4FCA894C0"));
        assertThat(block(stream, 0xFEFF)).isEqualTo(bytes("EC8CDF7398607CB0F2D21675EA9EA1E4"));
        assertThat(block(stream, 0xFF00)).isEqualTo(bytes("362B7C3C6773516318A077D7FC5073AE"));
        assertThat(block(stream, 0xFF01)).isEqualTo(bytes("6A2CC3787889374FBEB4C81B17BA6C44"));
    }

    /** B.2 through the packet path: SRTP with that session key/salt, SSRC 0, SEQ 0 XORs the same keystream. */
    @Test
    void appendixB2_keystreamIsWhatThePayloadIsXoredWith() {
        byte[] key = bytes("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] salt = bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        CounterModeTransform transform = new CounterModeTransform(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt,
                new byte[20], key, salt, new byte[20]);
        byte[] packet = new byte[12 + 48 + 10];
        packet[0] = (byte) 0x80; // V=2, SEQ 0, SSRC 0, payload all zero: the ciphertext is the keystream
        transform.protectRtp(packet, 0, 60, 12, 0, 0);
        assertThat(Arrays.copyOfRange(packet, 12, 60)).isEqualTo(bytes("""
                E03EAD0935C95E80E166B16DD92B4EB4
                D23513162B02D0F72A43A2FE4A5F97AB
                41E95B3BB0A2E8DD477901E4FCA894C0"""));
    }

    /** B.3: session keys from master key E1F9... and master salt 0EC6... with kdr 0. */
    @Test
    void appendixB3_keyDerivation() {
        SrtpKdf kdf = new SrtpKdf(bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), bytes("0EC675AD498AFEEBB6960B3AABE6"));

        assertThat(kdf.derive(SrtpKdf.RTP_ENCRYPTION, 16)).isEqualTo(bytes("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(kdf.derive(SrtpKdf.RTP_SALT, 14)).isEqualTo(bytes("30CBBC08863D8C85D49DB34A9AE1"));
        // B.3 derives a 94-octet authentication key to show the keystream continuing block after block
        assertThat(kdf.derive(SrtpKdf.RTP_AUTHENTICATION, 94)).isEqualTo(bytes("""
                CEBE321F6FF7716B6FD4AB49AF256A15
                6D38BAA48F0A0ACF3C34E2359E6CDBCE
                E049646C43D9327AD175578EF7227098
                6371C10C9A369AC2F94A8C5FBCDDDC25
                6D6E919A48B610EF17C2041E47403576
                6B68642C59BBFC2F34DB60DBDFB2"""));
    }

    private static byte[] block(byte[] stream, int index) {
        return Arrays.copyOfRange(stream, index * 16, index * 16 + 16);
    }
}
