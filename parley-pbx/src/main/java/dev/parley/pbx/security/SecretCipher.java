package dev.parley.pbx.security;

/**
 * Port: encrypts secrets the store must keep (SIP device secrets, trunk passwords) so that the database alone does
 * not give them away. The key lives outside the database ({@link AesGcmSecretCipher} reads it from a file).
 *
 * <p>The {@code context} is authenticated but not encrypted (GCM additional data): pass something that names the
 * row and column, such as {@code "device:" + id + ":secret"}. Ciphertext copied into another row then fails to
 * decrypt, so someone who can write to the database but does not hold the key cannot give a device they do not
 * know the secret of a secret they do know by copying their own device's ciphertext over it.
 *
 * <p>Implementations are thread-safe.
 */
public interface SecretCipher {

    /** Encrypts {@code plaintext} for storage; a fresh random IV each call, so equal secrets differ on disk. */
    String encrypt(String plaintext, String context);

    /**
     * Decrypts what {@link #encrypt} produced with the same {@code context}.
     *
     * @throws SecretCipherException if the value is not in a known format, was changed, was made with another key,
     *     or belongs to another context
     */
    String decrypt(String ciphertext, String context);
}
