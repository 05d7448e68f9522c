package dev.parley.pbx.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.security.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class NoncesTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final byte[] key = new byte[32];
    private final Nonces nonces = new Nonces(key, Duration.ofSeconds(300), clock, new SecureRandom());

    @Test
    void issuedNonceIsUrlSafeAndValid() {
        String n = nonces.issue();
        assertThat(n).hasSize(48).matches("[A-Za-z0-9_-]+");
        assertThat(nonces.check(n).status()).isEqualTo(Nonces.Status.VALID);
        assertThat(nonces.issue()).isNotEqualTo(n);
    }

    @Test
    void rfc7616_3_3_pastItsLifetimeTheNonceIsStaleNotInvalid() {
        String n = nonces.issue();
        clock.advance(Duration.ofSeconds(300));
        assertThat(nonces.check(n).status()).isEqualTo(Nonces.Status.VALID);
        clock.advance(Duration.ofMillis(1));
        assertThat(nonces.check(n).status()).isEqualTo(Nonces.Status.STALE);
    }

    @Test
    void anyChangedByteMakesItInvalid() {
        byte[] raw = Base64.getUrlDecoder().decode(nonces.issue());
        for (int i = 0; i < raw.length; i++) {
            byte[] t = raw.clone();
            t[i] ^= 0x40;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
            assertThat(nonces.check(forged).status()).as("byte %d", i).isEqualTo(Nonces.Status.INVALID);
        }
    }

    @Test
    void anotherKeysNoncesAndGarbageAreInvalid() {
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        Nonces other = new Nonces(otherKey, Duration.ofSeconds(300), clock, new SecureRandom());
        assertThat(nonces.check(other.issue()).status()).isEqualTo(Nonces.Status.INVALID);
        assertThat(nonces.check("").status()).isEqualTo(Nonces.Status.INVALID);
        assertThat(nonces.check(null).status()).isEqualTo(Nonces.Status.INVALID);
        assertThat(nonces.check("!".repeat(48)).status()).isEqualTo(Nonces.Status.INVALID);
    }
}
