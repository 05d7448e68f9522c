package dev.parley.pbx.account;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Web login passwords as Argon2id hashes (RFC 9106) in the PHC string format:
 *
 * <pre>
 *   $argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;
 * </pre>
 *
 * <p>Parameters: 19 MiB of memory, 2 passes, 1 lane — OWASP's recommended minimum for Argon2id, about 30 ms on a
 * current core, so a login costs the server little and a guesser holding a stolen database a lot; a 16-byte random
 * salt and a 32-byte hash. Salt and hash are base64 with the standard alphabet and no padding, as the PHC format and
 * the reference implementation write them, so hashes move between Parley and other tools.
 *
 * <p>The password is turned into bytes as UTF-8 and those bytes are zeroed after use; the caller should zero its
 * {@code char[]} too.
 */
public final class PasswordHashing {
    public static final int MEMORY_KIB = 19_456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    public static final int SALT_LENGTH = 16;
    public static final int HASH_LENGTH = 32;

    /** Bounds on parameters read back from a PHC string, so a damaged row cannot make a login take a gigabyte. */
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})"
                    + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,172})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashing() {
    }

    /** A new Argon2id PHC string for {@code password}, with a fresh random salt. */
    public static String argon2id(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        byte[] pw = utf8(password);
        try {
            byte[] hash = raw(pw, salt, null, null, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_LENGTH);
            return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                    + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * True if {@code password} hashes to {@code phc} with the parameters the string names; compares in constant
     * time.
     *
     * @throws IllegalArgumentException if {@code phc} is not an Argon2id (v=19) PHC string within Parley's bounds;
     *     the message does not quote it
     */
    public static boolean verify(String phc, char[] password) {
        Objects.requireNonNull(phc, "phc");
        Objects.requireNonNull(password, "password");
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not an Argon2id v=19 PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash)");
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2id parameters out of bounds: m=" + memory + ",t=" + iterations
                    + ",p=" + parallelism);
        }
        byte[] salt = decode(m.group(4));
        byte[] expected = decode(m.group(5));
        byte[] pw = utf8(password);
        try {
            byte[] actual = raw(pw, salt, null, null, memory, iterations, parallelism, expected.length);
            return MessageDigest.isEqual(actual, expected);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** True if {@code phc} was made with other parameters than today's, so a successful login should re-hash. */
    public static boolean needsRehash(String phc) {
        return !phc.startsWith("$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$");
    }

    /**
     * Argon2id (version 0x13) as RFC 9106 §3 defines it, with the optional secret {@code K} and associated data
     * {@code X}; exposed for the RFC 9106 §5.3 test vector.
     */
    static byte[] raw(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int memoryKib,
            int iterations, int parallelism, int length) {
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret != null) {
            b.withSecret(secret);
        }
        if (associatedData != null) {
            b.withAdditional(associatedData);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(b.build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64); // accepts the unpadded form
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the salt or hash of the PHC string is not base64");
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buf = UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        if (buf.hasArray()) {
            Arrays.fill(buf.array(), (byte) 0);
        }
        return out;
    }
}
