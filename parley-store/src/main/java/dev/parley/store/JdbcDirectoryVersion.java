package dev.parley.store;

import dev.parley.pbx.directory.DirectoryVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link DirectoryVersion} in the one-row {@code directory_version} table. Every write of the user, extension and
 * device repositories calls {@link #bump} in its own transaction, so the version changes exactly when a directory
 * change commits, whichever process made it. A change made by hand in SQL, outside the repositories, is not seen
 * until something bumps the version (or the server restarts).
 */
final class JdbcDirectoryVersion implements DirectoryVersion {
    private final Jdbi jdbi;

    JdbcDirectoryVersion(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public long current() {
        return jdbi.withHandle(h -> h.createQuery("SELECT version FROM directory_version WHERE id = 1")
                .mapTo(Long.class).one());
    }

    /** Increments the version inside the caller's transaction. */
    static void bump(Handle h) {
        h.createUpdate("UPDATE directory_version SET version = version + 1 WHERE id = 1").execute();
    }

    /** {@link #bump}s when {@code changedRows} is positive, and returns it. */
    static int bumped(Handle h, int changedRows) {
        if (changedRows > 0) {
            bump(h);
        }
        return changedRows;
    }
}
