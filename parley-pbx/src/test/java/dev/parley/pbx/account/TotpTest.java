package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T = {0}")
    @CsvSource({
        "59, 0000000000000001, 94287082",
        "1111111109, 00000000023523EC, 07081804",
        "1111111111, 00000000023523ED, 14050471",
        "1234567890, 000000000273EF07, 89005924",
        "2000000000, 0000000003F940AA, 69279037",
        "20000000000, 0000000027BC86AA, 65353130"})
    void rfc6238AppendixBSha1Vectors(long unixTime, String stepHex, String eightDigits) {
        long step = Totp.step(Instant.ofEpochSecond(unixTime));
        assertThat(step).isEqualTo(Long.parseLong(stepHex, 16));
        assertThat(Totp.code(RFC_KEY, step, 8)).isEqualTo(eightDigits);
        // six digits are the same truncation modulo 10^6: the last six of the eight
        assertThat(Totp.code(RFC_KEY, step)).isEqualTo(eightDigits.substring(2));
    }

    @Test
    void rfc4648Base32RoundTripsAndKnownValues() {
        // RFC 4648 §10 test vectors, without padding
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.base32("fo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXQ");
        assertThat(new String(Totp.fromBase32("mzxw 6ytb oi======"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        assertThat(Totp.fromBase32(Totp.base32(RFC_KEY))).isEqualTo(RFC_KEY);
        assertThatThrownBy(() -> Totp.fromBase32("MZ1W")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsOneStepOfDriftEitherWayAndNoMore() {
        Instant now = Instant.ofEpochSecond(1_111_111_111);
        long s = Totp.step(now);
        assertThat(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, s - 1), now, Long.MIN_VALUE)).hasValue(s - 1);
        assertThat(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, s + 1), now, Long.MIN_VALUE)).hasValue(s + 1);
        assertThat(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, s - 2), now, Long.MIN_VALUE)).isEmpty();
        assertThat(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, s + 2), now, Long.MIN_VALUE)).isEmpty();
    }

    @Test
    void aStepAtOrBeforeTheLastUsedOneIsRefused() {
        Instant now = Instant.ofEpochSecond(1_111_111_111);
        long s = Totp.step(now);
        String code = Totp.code(RFC_KEY, s);
        assertThat(Totp.verify(RFC_KEY, code, now, s - 1)).isEqualTo(OptionalLong.of(s));
        assertThat(Totp.verify(RFC_KEY, code, now, s)).isEmpty();
        assertThat(Totp.verify(RFC_KEY, Totp.code(RFC_KEY, s - 1), now, s)).isEmpty();
    }

    @Test
    void malformedCodesAreRefusedNotThrown() {
        Instant now = Instant.ofEpochSecond(59);
        for (String bad : new String[] {null, "", "12345", "1234567", "12a456", "１２３４５６"}) {
            assertThat(Totp.verify(RFC_KEY, bad, now, Long.MIN_VALUE)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(Totp.verify(RFC_KEY, " 287 082 ", now, Long.MIN_VALUE)).hasValue(1);
    }

    @Test
    void otpauthUriNamesIssuerAccountAndParameters() {
        assertThat(Totp.otpauthUri("Parley", "alice smith", "JBSWY3DPEHPK3PXP")).isEqualTo(
                "otpauth://totp/Parley:alice%20smith?secret=JBSWY3DPEHPK3PXP&issuer=Parley&algorithm=SHA1"
                        + "&digits=6&period=30");
    }
}
