package dev.parley.rtp.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * RFC 5769 §2: every sample message parses, its MESSAGE-INTEGRITY verifies with the RFC's key and fails with any
 * other, its FINGERPRINT verifies, and StunWriter rebuilds §2.1-2.3 byte for byte.
 */
class Rfc5769Test {
    private static final byte[] TRANSACTION_ID = Vectors.hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    @Test
    void section2_1_sampleRequestParsesAndVerifies() {
        byte[] bytes = Vectors.request();
        StunMessage m = new StunMessage();

        assertThat(m.wrap(bytes, 0, bytes.length)).isEqualTo(StunStatus.OK);
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(m.transactionId()).isEqualTo(TRANSACTION_ID);
        assertThat(m.software()).isEqualTo("STUN test client");
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.priority()).isEqualTo(0x6e0001ffL);
        assertThat(m.hasIceControlled()).isTrue();
        assertThat(m.iceControlled()).isEqualTo(0x932ff9b151263b36L);
        assertThat(m.hasIceControlling()).isFalse();
        assertThat(m.hasUseCandidate()).isFalse();
        assertThat(m.hasFingerprint()).isTrue();
        assertThat(StunKey.shortTerm(Vectors.PASSWORD).verify(m)).isEqualTo(StunKey.IntegrityCheck.OK_SHA1);
        assertThat(StunKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBu").verify(m)).isEqualTo(StunKey.IntegrityCheck.MISMATCH);
    }

    @Test
    void section2_1_sampleRequestIsRebuiltByteForByte() {
        byte[] out = new byte[200];
        StunWriter w = new StunWriter()
                .begin(out, 0, out.length, StunClass.REQUEST.type(StunMessage.BINDING), TRANSACTION_ID, 0)
                .padding(0x20)
                .text(StunAttribute.SOFTWARE, "STUN test client")
                .priority(0x6e0001ffL)
                .iceControlled(0x932ff9b151263b36L)
                .text(StunAttribute.USERNAME, "evtj:h6vY")
                .messageIntegrity(StunKey.shortTerm(Vectors.PASSWORD))
                .fingerprint();

        assertThat(java.util.Arrays.copyOf(out, w.finish())).isEqualTo(Vectors.request());
    }

    @Test
    void section2_2_sampleIpv4ResponseParsesVerifiesAndIsRebuilt() {
        byte[] bytes = Vectors.responseIpv4();
        StunMessage m = new StunMessage();

        assertThat(m.wrap(bytes, 0, bytes.length)).isEqualTo(StunStatus.OK);
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.method()).isEqualTo(StunMessage.BINDING);
        assertThat(m.software()).isEqualTo("test vector");
        assertThat(m.xorMappedAddress()).isEqualTo(TransportAddress.ipv4(192, 0, 2, 1, 32853));
        assertThat(m.xorMappedAddress().toString()).isEqualTo("192.0.2.1:32853");
        assertThat(StunKey.shortTerm(Vectors.PASSWORD).verify(m)).isEqualTo(StunKey.IntegrityCheck.OK_SHA1);

        assertThat(rebuildResponse(m.xorMappedAddress())).isEqualTo(bytes);
    }

    @Test
    void section2_3_sampleIpv6ResponseParsesVerifiesAndIsRebuilt() {
        byte[] bytes = Vectors.responseIpv6();
        StunMessage m = new StunMessage();

        assertThat(m.wrap(bytes, 0, bytes.length)).isEqualTo(StunStatus.OK);
        TransportAddress expected = TransportAddress.of(
                Vectors.hex("2001 0db8 1234 5678 0011 2233 4455 6677"), 32853);
        assertThat(m.xorMappedAddress()).isEqualTo(expected);
        assertThat(m.xorMappedAddress().toString()).isEqualTo("[2001:db8:1234:5678:11:2233:4455:6677]:32853");
        assertThat(StunKey.shortTerm(Vectors.PASSWORD).verify(m)).isEqualTo(StunKey.IntegrityCheck.OK_SHA1);

        assertThat(rebuildResponse(expected)).isEqualTo(bytes);
    }

    private static byte[] rebuildResponse(TransportAddress mapped) {
        byte[] out = new byte[200];
        int n = new StunWriter()
                .begin(out, 0, out.length, StunClass.SUCCESS_RESPONSE.type(StunMessage.BINDING), TRANSACTION_ID, 0)
                .padding(0x20)
                .text(StunAttribute.SOFTWARE, "test vector")
                .xorMappedAddress(mapped)
                .messageIntegrity(StunKey.shortTerm(Vectors.PASSWORD))
                .fingerprint()
                .finish();
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void section2_4_longTermRequestParsesAndVerifiesWithTheSaslPreppedPassword() {
        byte[] bytes = Vectors.requestLongTerm();
        StunMessage m = new StunMessage();

        assertThat(m.wrap(bytes, 0, bytes.length)).isEqualTo(StunStatus.OK);
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        assertThat(m.username()).isEqualTo(username);
        assertThat(m.nonce()).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(m.realm()).isEqualTo("example.org");
        assertThat(m.hasFingerprint()).isFalse();
        // The password as the user typed it; StunKey applies NFKC, which is SASLprep's effect here: "TheMatrIX".
        assertThat(StunKey.longTerm(username, "example.org", "TheM\u00AAtr\u2168").verify(m))
                .isEqualTo(StunKey.IntegrityCheck.OK_SHA1);
        assertThat(StunKey.longTerm(username, "example.org", "TheMatrIX").verify(m))
                .isEqualTo(StunKey.IntegrityCheck.OK_SHA1);
        assertThat(StunKey.longTerm(username, "example.org", "TheMatrIx").verify(m))
                .isEqualTo(StunKey.IntegrityCheck.MISMATCH);
        assertThat(StunKey.shortTerm("TheMatrIX").verify(m)).isEqualTo(StunKey.IntegrityCheck.MISMATCH);
    }

    @Test
    void section2_4_isRebuiltByteForByte() {
        byte[] bytes = Vectors.requestLongTerm();
        byte[] out = new byte[200];
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        int n = new StunWriter()
                .begin(out, 0, out.length, StunClass.REQUEST.type(StunMessage.BINDING), bytes, 8)
                .text(StunAttribute.USERNAME, username)
                .text(StunAttribute.NONCE, "f//499k954d6OL34oL9FSTvy64sA")
                .text(StunAttribute.REALM, "example.org")
                .messageIntegrity(StunKey.longTerm(username, "example.org", "TheMatrIX"))
                .finish();

        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(bytes);
    }

    @Test
    void everyFlippedBitInAVectorIsRejected() {
        StunKey key = StunKey.shortTerm(Vectors.PASSWORD);
        StunMessage m = new StunMessage();
        for (byte[] vector : new byte[][] {Vectors.request(), Vectors.responseIpv4(), Vectors.responseIpv6()}) {
            int fingerprintType = vector.length - 8;
            for (int bit = 0; bit < vector.length * 8; bit++) {
                byte[] bytes = vector.clone();
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                boolean accepted = m.wrap(bytes, 0, bytes.length) == StunStatus.OK && key.verify(m).ok();
                if (bit / 8 == fingerprintType || bit / 8 == fingerprintType + 1) {
                    // The FINGERPRINT attribute's own type is covered by neither check: a flip there turns it into
                    // an attribute after MESSAGE-INTEGRITY, which RFC 8489 §14.5 says to ignore. Still signed.
                    assertThat(!accepted || !m.hasFingerprint()).as("bit %d", bit).isTrue();
                } else {
                    assertThat(accepted).as("bit %d of a %d-octet vector", bit, vector.length).isFalse();
                }
            }
        }
    }

    @Test
    void fingerprintIsCrc32XorStun() {
        // RFC 8489 §14.7: CRC-32 (ISO HDLC) of the message before FINGERPRINT, xor 0x5354554E ("STUN").
        byte[] bytes = Vectors.request();
        int fingerprintAt = bytes.length - 8;
        byte[] covered = java.util.Arrays.copyOf(bytes, fingerprintAt);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(covered);
        int expected = (int) crc.getValue() ^ 0x5354554E;
        int actual = java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        assertThat(actual).isEqualTo(expected);
        assertThat(new String(Vectors.hex("5354554e"), StandardCharsets.US_ASCII)).isEqualTo("STUN");
    }
}
