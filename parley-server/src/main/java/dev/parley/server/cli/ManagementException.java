package dev.parley.server.cli;

/** A management command that cannot do what was asked (unknown user, number taken); exit status 1, no stack trace. */
public final class ManagementException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ManagementException(String message) {
        super(message, null, false, false);
    }
}
