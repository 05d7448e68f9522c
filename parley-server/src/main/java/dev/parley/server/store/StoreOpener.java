package dev.parley.server.store;

import dev.parley.pbx.security.SecretCipher;
import dev.parley.server.config.ParleyConfig;

/** Opens the database named by the configuration ({@link ParleyConfig#databaseUrl()}), migrating it if needed. */
@FunctionalInterface
public interface StoreOpener {

    /**
     * @param cipher encrypts device secrets before they reach the database
     * @throws dev.parley.server.config.ConfigException naming {@code database.url} when the database cannot be opened
     */
    Repositories open(ParleyConfig config, SecretCipher cipher);
}
