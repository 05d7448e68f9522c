package dev.parley.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class DigestAlgorithmTest {

    @Test
    void rfc7616Section6_1_tokensAsRegistered() {
        assertThat(DigestAlgorithm.MD5.token()).isEqualTo("MD5");
        assertThat(DigestAlgorithm.MD5_SESS.token()).isEqualTo("MD5-sess");
        assertThat(DigestAlgorithm.SHA_256.token()).isEqualTo("SHA-256");
        assertThat(DigestAlgorithm.SHA_256_SESS.token()).isEqualTo("SHA-256-sess");
        assertThat(DigestAlgorithm.SHA_512_256.token()).isEqualTo("SHA-512-256");
        assertThat(DigestAlgorithm.SHA_512_256_SESS.token()).isEqualTo("SHA-512-256-sess");
    }

    @Test
    void fromTokenRoundTripsEveryToken() {
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            assertThat(DigestAlgorithm.fromToken(algorithm.token())).contains(algorithm);
        }
    }

    @Test
    void fromTokenIgnoresAsciiCaseOnly() {
        assertThat(DigestAlgorithm.fromToken("md5")).contains(DigestAlgorithm.MD5);
        assertThat(DigestAlgorithm.fromToken("sha-256-SESS")).contains(DigestAlgorithm.SHA_256_SESS);
        assertThat(DigestAlgorithm.fromToken("sha-512-256")).contains(DigestAlgorithm.SHA_512_256);
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "I".toLowerCase() is a dotless 'ı'
            assertThat(DigestAlgorithm.fromToken("md5-SESS")).contains(DigestAlgorithm.MD5_SESS);
        } finally {
            Locale.setDefault(saved);
        }
        // U+017F LATIN SMALL LETTER LONG S: String.equalsIgnoreCase would take it for 's'; a token is ASCII.
        assertThat(DigestAlgorithm.fromToken("MD5-\u017fess")).isEmpty();
    }

    @Test
    void fromTokenRejectsUnknownAndNearMisses() {
        assertThat(DigestAlgorithm.fromToken("SHA-512")).isEmpty();
        assertThat(DigestAlgorithm.fromToken("SHA-512/256")).isEmpty();
        assertThat(DigestAlgorithm.fromToken("SHA256")).isEmpty();
        assertThat(DigestAlgorithm.fromToken(" MD5")).isEmpty();
        assertThat(DigestAlgorithm.fromToken("")).isEmpty();
        assertThat(DigestAlgorithm.fromToken(null)).isEmpty();
    }

    @Test
    void rfc7616Section3_3_absentAlgorithmMeansMd5() {
        assertThat(DigestAlgorithm.fromTokenOrDefault(null)).contains(DigestAlgorithm.MD5);
        assertThat(DigestAlgorithm.fromTokenOrDefault("SHA-256")).contains(DigestAlgorithm.SHA_256);
        // present but empty or unknown is not absent
        assertThat(DigestAlgorithm.fromTokenOrDefault("")).isEmpty();
        assertThat(DigestAlgorithm.fromTokenOrDefault("AKAv1-MD5")).isEmpty();
    }

    @Test
    void rfc7616Section3_4_2_sessionVariants() {
        assertThat(DigestAlgorithm.MD5.isSession()).isFalse();
        assertThat(DigestAlgorithm.MD5_SESS.isSession()).isTrue();
        assertThat(DigestAlgorithm.SHA_256.isSession()).isFalse();
        assertThat(DigestAlgorithm.SHA_256_SESS.isSession()).isTrue();
        assertThat(DigestAlgorithm.SHA_512_256.isSession()).isFalse();
        assertThat(DigestAlgorithm.SHA_512_256_SESS.isSession()).isTrue();
    }

    @Test
    void messageDigestNamesAreKnownToTheJdk() throws NoSuchAlgorithmException {
        assertThat(DigestAlgorithm.SHA_512_256.messageDigestName()).isEqualTo("SHA-512/256");
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            MessageDigest md = MessageDigest.getInstance(algorithm.messageDigestName());
            assertThat(md.getDigestLength() * 2).as(algorithm.token()).isEqualTo(algorithm.hexLength());
        }
    }
}
