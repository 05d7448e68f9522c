package dev.parley.server.store;

import dev.parley.pbx.security.AesGcmSecretCipher;
import dev.parley.pbx.security.SecretCipher;
import dev.parley.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that encrypts device secrets in the database, in {@code <data>/secret.key}: 32 random bytes, mode
 * {@code 0600}, made on first use. It lives outside the database on purpose: a copy of the database alone (a backup,
 * a stolen file, read-only SQL injection) does not give away the SIP secrets. Losing it loses every stored secret,
 * so it belongs in the same backup as the database.
 */
public final class SecretKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeyFile.class);

    private SecretKeyFile() {
    }

    /** The cipher for the key in {@code file}, creating the file first when it does not exist. */
    public static SecretCipher openOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                try {
                    AesGcmSecretCipher.createKeyFile(file, new SecureRandom());
                    LOG.info("created the device secret key {} (mode 0600); back it up with the database", file);
                } catch (FileAlreadyExistsException e) {
                    // another command made it at the same moment: use theirs
                }
            }
            return AesGcmSecretCipher.fromKeyFile(file);
        } catch (IOException e) {
            throw new ConfigException("data.directory: cannot use the device secret key " + file + " ("
                    + e.getMessage() + ")");
        }
    }
}
