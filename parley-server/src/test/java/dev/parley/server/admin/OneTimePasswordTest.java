package dev.parley.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OneTimePasswordTest {

    @Test
    void twentyUnambiguousCharactersInGroupsOfFive() {
        String p = new String(OneTimePassword.generate(new SecureRandom()));
        assertThat(p).matches("[2-9A-HJ-NP-Za-km-np-z]{5}(-[2-9A-HJ-NP-Za-km-np-z]{5}){3}");
        assertThat(p.replace("-", "")).hasSize(20).doesNotContainAnyWhitespaces();
        assertThat(p).doesNotContain("0", "O", "o", "1", "l", "I");
    }

    @Test
    void everyCharacterOfTheAlphabetTurnsUpAndNothingElse() {
        SecureRandom random = new SecureRandom();
        Set<Character> seen = new HashSet<>();
        Set<String> passwords = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            char[] p = OneTimePassword.generate(random);
            passwords.add(new String(p));
            for (char c : p) {
                if (c != '-') {
                    seen.add(c);
                }
            }
        }
        assertThat(passwords).hasSize(500);
        Set<Character> alphabet = new HashSet<>();
        OneTimePassword.ALPHABET.chars().forEach(c -> alphabet.add((char) c));
        assertThat(seen).isEqualTo(alphabet);
    }
}
