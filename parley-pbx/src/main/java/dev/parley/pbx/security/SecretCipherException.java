package dev.parley.pbx.security;

/** A stored secret could not be decrypted. The message never contains the ciphertext or the key. */
public final class SecretCipherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretCipherException(String message) {
        super(message);
    }

    public SecretCipherException(String message, Throwable cause) {
        super(message, cause);
    }
}
