package dev.parley.store;

/**
 * The database could not be opened or migrated (the message says which setting or what to check), or a statement
 * that repositories run as plain JDBC failed (the cause is the {@link java.sql.SQLException}).
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
