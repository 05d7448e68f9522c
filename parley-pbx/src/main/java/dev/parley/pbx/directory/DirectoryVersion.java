package dev.parley.pbx.directory;

/**
 * Port: a number that changes whenever a user, an extension or a device is saved or deleted, by this process or by
 * another one sharing the database (the management CLI, another node). {@link DirectoryCache} reads it to know when
 * its copy of the directory is out of date. Implemented by {@code parley-store} as a counter row that every
 * directory write increments in its own transaction.
 *
 * <p>Reading it must be cheap (one indexed row). Thread-safe; may block.
 */
@FunctionalInterface
public interface DirectoryVersion {

    /** The current version; equal values mean nothing in the directory changed in between. */
    long current();
}
