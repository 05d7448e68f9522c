package dev.parley.pbx.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link SecretCipher} with AES-256-GCM from the JDK.
 *
 * <p>Stored form: {@code v1:} followed by base64 (RFC 4648 §4, with padding) of
 *
 * <pre>
 *   +-----------+--------------------------------+-----------+
 *   | IV (12 B) | ciphertext (as long as input)  | tag (16 B)|
 *   +-----------+--------------------------------+-----------+
 * </pre>
 *
 * <p>The IV is 96 random bits per value (NIST SP 800-38D §8.2.2): with random IVs one key stays within the
 * 2<sup>-32</sup> collision bound for 2<sup>32</sup> encryptions, far more secrets than a PBX ever stores. The
 * {@code v1} prefix names this layout and this key; a later layout or key rotation gets {@code v2} and this class
 * keeps decrypting {@code v1}.
 *
 * <p>The key is exactly 32 bytes, read from a file outside the database ({@link #fromKeyFile});
 * {@link #createKeyFile} writes a new one readable by its owner only.
 */
public final class AesGcmSecretCipher implements SecretCipher {
    public static final String PREFIX = "v1:";
    public static final int KEY_LENGTH = 32;
    static final int IV_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random;

    public AesGcmSecretCipher(byte[] key, SecureRandom random) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_LENGTH + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Reads a key file of exactly 32 bytes.
     *
     * @throws IOException if it cannot be read or has another length (the message says what to do)
     */
    public static AesGcmSecretCipher fromKeyFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            if (bytes.length != KEY_LENGTH) {
                throw new IOException("secret key file " + file + " holds " + bytes.length + " bytes; it must hold"
                        + " exactly " + KEY_LENGTH + " random bytes (restore it from backup: without it the stored"
                        + " SIP secrets cannot be decrypted)");
            }
            return new AesGcmSecretCipher(bytes, new SecureRandom());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Writes 32 new random bytes to {@code file}, which must not exist, with permissions {@code rw-------} where the
     * file system has POSIX permissions.
     *
     * @throws FileAlreadyExistsException rather than overwrite a key: that would lose every stored secret
     */
    public static void createKeyFile(Path file, SecureRandom random) throws IOException {
        byte[] bytes = new byte[KEY_LENGTH];
        random.nextBytes(bytes);
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String encrypt(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(context, "context");
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        byte[] input = plaintext.getBytes(UTF_8);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
            cipher.updateAAD(context.getBytes(UTF_8));
            byte[] sealed = cipher.doFinal(input); // ciphertext followed by the tag
            byte[] out = new byte[IV_LENGTH + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_LENGTH);
            System.arraycopy(sealed, 0, out, IV_LENGTH, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK: " + e.getMessage(), e);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    @Override
    public String decrypt(String ciphertext, String context) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(context, "context");
        if (!ciphertext.startsWith(PREFIX)) {
            throw new SecretCipherException("stored secret is not in the " + PREFIX + " format");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretCipherException("stored secret is not valid base64");
        }
        if (raw.length < IV_LENGTH + TAG_LENGTH) {
            throw new SecretCipherException("stored secret is too short to be " + PREFIX + " ciphertext");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, raw, 0, IV_LENGTH));
            cipher.updateAAD(context.getBytes(UTF_8));
            byte[] plain = cipher.doFinal(raw, IV_LENGTH, raw.length - IV_LENGTH);
            try {
                return new String(plain, UTF_8);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new SecretCipherException("stored secret failed authentication: it was changed, belongs to"
                    + " another row, or was encrypted with another key file");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK: " + e.getMessage(), e);
        }
    }
}
