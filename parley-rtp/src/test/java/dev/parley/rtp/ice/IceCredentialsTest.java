package dev.parley.rtp.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 8445 §5.3 / RFC 8839 §5.4: ufrag ≥ 4 and password ≥ 22 ice-chars, random enough. */
class IceCredentialsTest {
    @Test
    void randomCredentialsAreIceCharsOfTheRightLength() {
        SplittableRandom random = new SplittableRandom(1);
        Set<String> ufrags = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            IceCredentials c = IceCredentials.random(random);
            assertThat(c.ufrag()).hasSize(IceCredentials.UFRAG_LENGTH).matches("[A-Za-z0-9+/]+");
            assertThat(c.password()).hasSize(IceCredentials.PASSWORD_LENGTH).matches("[A-Za-z0-9+/]+");
            ufrags.add(c.ufrag());
            for (char ch : c.password().toCharArray()) {
                seen.add(ch);
            }
        }
        assertThat(ufrags).hasSize(2000);
        assertThat(seen).as("all 64 ice-chars are used: 6 bits each").hasSize(64);
    }

    @Test
    void shortOrIllegalCredentialsAreRefused() {
        assertThatThrownBy(() -> new IceCredentials("abc", "a".repeat(22))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceCredentials("abcd", "a".repeat(21))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceCredentials("ab:d", "a".repeat(22))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceCredentials("abcd", "a".repeat(21) + " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new IceCredentials("ab+/", "0".repeat(256)).ufrag()).isEqualTo("ab+/");
    }
}
