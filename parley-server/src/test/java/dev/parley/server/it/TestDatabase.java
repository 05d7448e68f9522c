package dev.parley.server.it;

import dev.parley.store.PostgresServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The databases the integration suite runs on, as the parameter of a {@code @ParameterizedClass}
 * ({@code @EnumSource(TestDatabase.class)}): each test class runs once on SQLite (the default) and once on a real
 * PostgreSQL server. The PostgreSQL cluster ({@link PostgresServer#shared()}) is started on first use and shared by
 * every class of the JVM; each {@link #settings()} call gets a new, empty database in it.
 */
public enum TestDatabase {
    /** The default: the SQLite file {@code <data>/parley.db} of the server's own directory. */
    SQLITE,
    /** A fresh database on the shared throwaway PostgreSQL cluster. */
    POSTGRESQL;

    /** The {@code PARLEY_*} settings that put a new server on a new, empty database of this kind. */
    public Map<String, String> settings() {
        if (this == SQLITE) {
            return Map.of(); // a fresh server directory is a fresh database
        }
        try {
            return Map.of("PARLEY_DATABASE_URL", PostgresServer.shared().createDatabase());
        } catch (Exception e) {
            throw new IllegalStateException("could not create a PostgreSQL database for the test: " + e.getMessage(),
                    e);
        }
    }

    /** Settings for a server on this database, with {@code more} added. */
    public Map<String, String> settings(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(settings());
        all.putAll(more);
        return Map.copyOf(all);
    }
}
