package dev.parley.web.api;

/**
 * An API answer other than success, thrown by handlers and written by {@link ApiGuard} as
 * {@code {"error": …, "field": …, "problem": …}} ({@code field} and {@code problem} only for invalid input and
 * conflicts).
 * Messages are fixed texts: they never quote what the client sent.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String field;
    private final String problem;
    private final String retryAfterSeconds;

    private ApiError(int status, String error, String field, String problem, String retryAfterSeconds) {
        super(error, null, false, false);
        this.status = status;
        this.field = field;
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiError of(int status, String error) {
        return new ApiError(status, error, null, null, null);
    }

    /** {@code 400}: the input is invalid; {@code field} names where ("body" for the document as a whole). */
    public static ApiError invalid(String field, String problem) {
        return new ApiError(400, "invalid input", field, problem, null);
    }

    /** {@code 409}: {@code field} names a value another resource already has (a number, a name). */
    public static ApiError conflict(String field, String problem) {
        return new ApiError(409, "conflict", field, problem, null);
    }

    /** With a {@code Retry-After} header (RFC 9110 §10.2.3), in whole seconds, at least 1. */
    public static ApiError retryAfter(int status, String error, long seconds) {
        return new ApiError(status, error, null, null, Long.toString(Math.max(1, seconds)));
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** Seconds for {@code Retry-After}, or null. */
    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
