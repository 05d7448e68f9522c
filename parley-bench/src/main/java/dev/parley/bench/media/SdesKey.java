package dev.parley.bench.media;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * One SDES master key and salt for AES_CM_128_HMAC_SHA1_80 (RFC 4568 §6.1: {@code inline:} base64 of key then
 * salt). Never printed: {@link #toString()} names the suite only.
 */
record SdesKey(byte[] key, byte[] salt) {
    static final String SUITE = "AES_CM_128_HMAC_SHA1_80";
    private static final SecureRandom RANDOM = new SecureRandom();

    SdesKey {
        if (key.length != 16 || salt.length != 14) {
            throw new IllegalArgumentException(SUITE + " needs a 16-byte key and a 14-byte salt");
        }
        key = key.clone();
        salt = salt.clone();
    }

    static SdesKey random() {
        byte[] k = new byte[16];
        byte[] s = new byte[14];
        RANDOM.nextBytes(k);
        RANDOM.nextBytes(s);
        return new SdesKey(k, s);
    }

    /** From the key-params of an {@code a=crypto} line: {@code inline:<base64>[|lifetime][|MKI:len]}. */
    static SdesKey fromInline(String keyParams) {
        String p = keyParams.startsWith("inline:") ? keyParams.substring(7) : keyParams;
        int bar = p.indexOf('|');
        byte[] both = Base64.getDecoder().decode(bar < 0 ? p : p.substring(0, bar));
        if (both.length != 30) {
            throw new IllegalArgumentException("SDES inline key of " + both.length + " bytes, expected 30");
        }
        byte[] k = new byte[16];
        byte[] s = new byte[14];
        System.arraycopy(both, 0, k, 0, 16);
        System.arraycopy(both, 16, s, 0, 14);
        return new SdesKey(k, s);
    }

    /** Base64 of key then salt, as after {@code inline:}. */
    String inline() {
        byte[] both = new byte[30];
        System.arraycopy(key, 0, both, 0, 16);
        System.arraycopy(salt, 0, both, 16, 14);
        return Base64.getEncoder().encodeToString(both);
    }

    @Override
    public String toString() {
        return "SdesKey[" + SUITE + "]";
    }
}
