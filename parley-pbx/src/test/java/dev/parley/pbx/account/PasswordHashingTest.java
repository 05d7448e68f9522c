package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void rfc9106Section5_3Argon2idTestVector() {
        // RFC 9106 §5.3: password 32 × 0x01, salt 16 × 0x02, secret 8 × 0x03, associated data 12 × 0x04,
        // memory 32 KiB, 3 passes, 4 lanes, version 0x13, 32-byte tag
        byte[] tag = PasswordHashing.raw(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32, 3, 4, 32);
        assertThat(HexFormat.ofDelimiter(" ").formatHex(tag)).isEqualTo(
                "0d 64 0d f5 8d 78 76 6c 08 c0 37 a3 4a 8b 53 c9 d0 1e f0 45 2d 75 b6 5e b5 25 20 e9 6b 01 e6 59");
    }

    @Test
    void verifiesThePhcStringOfTheReferenceImplementation() {
        // phc-winner-argon2 src/test.c: Argon2id v=19, t=2, m=2^16, p=1, "password" / "somesalt"
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(PasswordHashing.verify(reference, "password".toCharArray())).isTrue();
        assertThat(PasswordHashing.verify(reference, "passwore".toCharArray())).isFalse();
    }

    @Test
    void hashIsPhcArgon2idWithOwaspParametersSixteenByteSaltAndThirtyTwoByteHash() {
        String phc = PasswordHashing.argon2id("correct horse".toCharArray());
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        String[] parts = phc.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
        assertThat(parts[4] + parts[5]).doesNotContain("="); // unpadded, as PHC writes base64
        assertThat(phc).doesNotContain("correct");
    }

    @Test
    void verifyAcceptsTheRightPasswordOnly() {
        String phc = PasswordHashing.argon2id("s3cret-Pässword".toCharArray());
        assertThat(PasswordHashing.verify(phc, "s3cret-Pässword".toCharArray())).isTrue();
        assertThat(PasswordHashing.verify(phc, "s3cret-Password".toCharArray())).isFalse();
        assertThat(PasswordHashing.verify(phc, new char[0])).isFalse();
    }

    @Test
    void saltIsFreshEachTime() {
        assertThat(PasswordHashing.argon2id("same".toCharArray()))
                .isNotEqualTo(PasswordHashing.argon2id("same".toCharArray()));
    }

    @Test
    void malformedOrOutOfBoundsPhcIsRejectedWithoutQuotingIt() {
        assertThatThrownBy(() -> PasswordHashing.verify("$2b$12$abcdefghijklmnopqrstuu", "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abcdefghij");
        assertThatThrownBy(() -> PasswordHashing.verify(
                "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                "password".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> PasswordHashing.verify(
                "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                "password".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void needsRehashWhenParametersDiffer() {
        assertThat(PasswordHashing.needsRehash(PasswordHashing.argon2id("x".toCharArray()))).isFalse();
        assertThat(PasswordHashing.needsRehash(
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isTrue();
    }
}
