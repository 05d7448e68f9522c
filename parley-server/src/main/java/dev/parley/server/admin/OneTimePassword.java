package dev.parley.server.admin;

import java.security.SecureRandom;

/**
 * Passwords Parley makes up for people to type: 20 characters in four groups of five, from an alphabet without the
 * characters that look alike on a console or on paper ({@code 0 O o 1 l I}), drawn with {@link SecureRandom} by
 * rejection sampling so every character is equally likely: 20 × log2(56) ≈ 116 bits.
 */
public final class OneTimePassword {
    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";
    static final int CHARACTERS = 20;
    private static final int GROUP = 5;

    private OneTimePassword() {
    }

    public static char[] generate(SecureRandom random) {
        int groups = CHARACTERS / GROUP;
        char[] out = new char[CHARACTERS + groups - 1];
        int n = ALPHABET.length();
        int limit = 256 - 256 % n; // reject bytes at or above this, so each character is equally likely
        int pos = 0;
        int produced = 0;
        while (produced < CHARACTERS) {
            int b = random.nextInt(256);
            if (b >= limit) {
                continue;
            }
            if (produced > 0 && produced % GROUP == 0) {
                out[pos++] = '-';
            }
            out[pos++] = ALPHABET.charAt(b % n);
            produced++;
        }
        return out;
    }
}
