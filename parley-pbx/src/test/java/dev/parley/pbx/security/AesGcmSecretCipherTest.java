package dev.parley.pbx.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AesGcmSecretCipherTest {
    private static final String CONTEXT = "device:d-1:secret";
    private final SecureRandom random = new SecureRandom();
    private final AesGcmSecretCipher cipher = new AesGcmSecretCipher(key(), random);

    private byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void roundTrip() {
        String stored = cipher.encrypt("s3cret-Ünïcode", CONTEXT);
        assertThat(cipher.decrypt(stored, CONTEXT)).isEqualTo("s3cret-Ünïcode");
    }

    @Test
    void formatIsV1PrefixAndBase64OfIvCiphertextTag() {
        String stored = cipher.encrypt("abcdefghijklmnopqrstuvwx", CONTEXT);
        assertThat(stored).startsWith("v1:").doesNotContain("abcdefgh");
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        assertThat(raw).hasSize(12 + 24 + 16);
    }

    @Test
    void nistSp800_38d_8_2_2_freshRandomIvPerValue() {
        String a = cipher.encrypt("same", CONTEXT);
        String b = cipher.encrypt("same", CONTEXT);
        assertThat(a).isNotEqualTo(b);
        byte[] ra = Base64.getDecoder().decode(a.substring(3));
        byte[] rb = Base64.getDecoder().decode(b.substring(3));
        assertThat(java.util.Arrays.copyOf(ra, 12)).isNotEqualTo(java.util.Arrays.copyOf(rb, 12));
    }

    @Test
    void anyChangedBitIsDetected() {
        String stored = cipher.encrypt("secret-value", CONTEXT);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        for (int i = 0; i < raw.length; i++) {
            byte[] t = raw.clone();
            t[i] ^= 0x01;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(t);
            assertThatThrownBy(() -> cipher.decrypt(tampered, CONTEXT)).as("byte %d", i)
                    .isInstanceOf(SecretCipherException.class);
        }
    }

    @Test
    void ciphertextMovedToAnotherRowDoesNotDecrypt() {
        String stored = cipher.encrypt("secret-value", "device:attacker:secret");
        assertThatThrownBy(() -> cipher.decrypt(stored, "device:victim:secret"))
                .isInstanceOf(SecretCipherException.class);
    }

    @Test
    void anotherKeyDoesNotDecrypt() {
        String stored = cipher.encrypt("secret-value", CONTEXT);
        AesGcmSecretCipher other = new AesGcmSecretCipher(key(), random);
        assertThatThrownBy(() -> other.decrypt(stored, CONTEXT)).isInstanceOf(SecretCipherException.class)
                .message().doesNotContain(stored);
    }

    @Test
    void malformedValuesAreRefused() {
        assertThatThrownBy(() -> cipher.decrypt("plaintext", CONTEXT)).isInstanceOf(SecretCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:!!!", CONTEXT)).isInstanceOf(SecretCipherException.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:AAAA", CONTEXT)).isInstanceOf(SecretCipherException.class);
        String truncated = cipher.encrypt("x", CONTEXT);
        assertThatThrownBy(() -> cipher.decrypt(truncated.substring(0, truncated.length() - 4), CONTEXT))
                .isInstanceOf(SecretCipherException.class);
    }

    @Test
    void keyOfWrongLengthIsRefused() {
        assertThatThrownBy(() -> new AesGcmSecretCipher(new byte[16], random))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReadBack(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret.key");
        AesGcmSecretCipher.createKeyFile(file, random);
        assertThat(Files.size(file)).isEqualTo(32);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        String stored = AesGcmSecretCipher.fromKeyFile(file).encrypt("secret-value", CONTEXT);
        assertThat(AesGcmSecretCipher.fromKeyFile(file).decrypt(stored, CONTEXT)).isEqualTo("secret-value");
        assertThatThrownBy(() -> AesGcmSecretCipher.createKeyFile(file, random))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void keyFileOfWrongLengthIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("short.key");
        Files.write(file, new byte[31]);
        assertThatThrownBy(() -> AesGcmSecretCipher.fromKeyFile(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("exactly 32");
    }
}
