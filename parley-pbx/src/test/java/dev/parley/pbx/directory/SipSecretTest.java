package dev.parley.pbx.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SipSecretTest {

    @Test
    void generatedSecretsAre24UrlSafeCharacters() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String s = SipSecret.generate(random).reveal();
            assertThat(s).hasSize(24).matches("[A-Za-z0-9_-]{24}");
            seen.add(s);
            s.chars().forEach(c -> used.add((char) c));
        }
        assertThat(seen).hasSize(2000);
        // 48 000 draws from 64 symbols: every symbol shows up, so the whole alphabet is in use
        assertThat(used).hasSize(64);
    }

    @Test
    void generatedSecretIsAtLeastTwentyCharacters() {
        assertThat(SipSecret.generate().length()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void toStringNeverShowsTheValue() {
        SipSecret s = SipSecret.of("correct-horse-battery");
        assertThat(s.toString()).doesNotContain("horse");
        Device d = new Device(DeviceId.random(), UserId.random(), "101", s, "desk");
        assertThat(d.toString()).doesNotContain("horse");
    }

    @Test
    void adminSetSecretsMustBePrintableAsciiOfSaneLength() {
        assertThat(SipSecret.of("12345678").reveal()).isEqualTo("12345678");
        assertThatThrownBy(() -> SipSecret.of("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipSecret.of("has a space")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("has a space");
        assertThatThrownBy(() -> SipSecret.of("pässwörter")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipSecret.of("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityIsByValue() {
        assertThat(SipSecret.of("abcdefgh")).isEqualTo(SipSecret.of("abcdefgh")).isNotEqualTo(SipSecret.of("abcdefgi"));
    }
}
