package dev.parley.pbx.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = PasswordPolicy.standard();

    private String problem(String password) {
        return policy.problem(password.toCharArray(), "alice", "alice@example.org").orElse(null);
    }

    @Test
    void theShippedListIsLoaded() {
        // SecLists 10-million-password-list-top-1000: 1001 lines, "password"/"Password"/"PASSWORD" fold to one
        assertThat(policy.commonCount()).isBetween(990, 1001);
    }

    @Test
    void shorterThanTwelveIsRefusedCountingCodePoints() {
        assertThat(problem("Xk9#mQ2!vL7")).contains("at least 12");
        assertThat(problem("Xk9#mQ2!vL7z")).isNull();
        // 11 emoji are 22 UTF-16 chars but 11 characters
        assertThat(problem("😀".repeat(11))).contains("at least 12");
        assertThat(problem("x".repeat(257))).contains("at most 256");
    }

    @Test
    void theUserNameOrEmailIsRefused() {
        assertThat(policy.problem("alice.example".toCharArray(), "ALICE.example", null)).isPresent();
        assertThat(problem("Alice@Example.org")).contains("user name or email");
    }

    @Test
    void commonPasswordsAreRefusedWithTrailingDigitsAndSymbolsAndAsRepetitions() {
        assertThat(problem("Password2024!")).contains("too common");
        assertThat(problem("iloveyou123456")).contains("too common");
        assertThat(problem("qwertyqwerty")).contains("too common");
        assertThat(problem("aaaaaaaaaaaa")).contains("too common");
        assertThat(problem("123456123456")).contains("too common");
        assertThat(problem("1q2w3e4r5t6y")).isNull(); // not on the list in any form
        assertThat(problem("correct horse battery staple")).isNull();
    }

    @Test
    void repeatedUnit() {
        assertThat(PasswordPolicy.repeatedUnit("abcabc")).isEqualTo("abc");
        assertThat(PasswordPolicy.repeatedUnit("abcab")).isEqualTo("abcab");
        assertThat(PasswordPolicy.repeatedUnit("zzzz")).isEqualTo("z");
    }
}
