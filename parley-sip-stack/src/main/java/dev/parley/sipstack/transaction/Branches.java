package dev.parley.sipstack.transaction;

import dev.parley.sip.header.Via;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Fresh Via branch values (RFC 3261 §8.1.1.7): the magic cookie {@code z9hG4bK} followed by 96 random bits, so the
 * branch alone identifies a transaction across space and time.
 *
 * <p>Uniqueness, not secrecy, is what the branch needs; a branch is visible to every hop. The generator is
 * therefore a fast {@link SplittableRandom} per thread, each seeded from {@link SecureRandom} so that two processes
 * (or two restarts of one) do not walk the same sequence.
 */
public final class Branches {
    private static final SecureRandom SEEDS = new SecureRandom();
    private static final ThreadLocal<SplittableRandom> RANDOM =
            ThreadLocal.withInitial(() -> new SplittableRandom(SEEDS.nextLong()));
    private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

    private Branches() {
    }

    /** {@code z9hG4bK} and 16 token characters (96 bits). */
    public static String newBranch() {
        return Via.MAGIC_COOKIE + randomToken(12);
    }

    /**
     * {@code bytes} random bytes as base64url without padding: every character is a SIP {@code token} character
     * (RFC 3261 §25.1), so the result may serve as a branch, tag or Call-ID part.
     */
    public static String randomToken(int bytes) {
        if (bytes < 1 || bytes > 64) {
            throw new IllegalArgumentException("token length must be 1..64 bytes: " + bytes);
        }
        byte[] b = new byte[bytes];
        RANDOM.get().nextBytes(b);
        return TOKEN.encodeToString(b);
    }
}
