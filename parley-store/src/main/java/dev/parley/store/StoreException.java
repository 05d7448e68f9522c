package dev.parley.store;

/** The database could not be opened or migrated. The message says which setting or what to check. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
