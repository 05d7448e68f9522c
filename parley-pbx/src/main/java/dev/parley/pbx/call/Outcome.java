package dev.parley.pbx.call;

/**
 * How the final responses of forked branches become the one final response the caller gets, and what cause that
 * means for the CDR. Pure functions.
 *
 * <p>RFC 3261 §16.7 (response context, step 6), simplified for a B2BUA that rings phones, not proxies:
 * <ul>
 *   <li>a 6xx ends the forking at once and goes to the caller (the callee declined everywhere);</li>
 *   <li>otherwise, once every branch has failed, the most telling answer wins: busy ({@code 486}) over a media
 *       refusal ({@code 488}) over other 4xx over "not reachable" ({@code 480}).</li>
 * </ul>
 * What a phone says about itself but would mislead the caller is rewritten to {@code 480 Temporarily Unavailable}:
 * a redirect we do not follow (3xx), a challenge we cannot answer (401/407), a phone that does not know the user
 * (404/410/484), a timeout (408) or a server or transport failure (5xx).
 */
public final class Outcome {
    private Outcome() {
    }

    /** The status the caller should see for a branch's final {@code status}. */
    public static int forCaller(int status) {
        if (status >= 600 || status == 486 || status == 488 || status == 487) {
            return status;
        }
        if (status >= 300 && status < 400) {
            return 480;
        }
        return switch (status) {
            case 401, 407, 404, 410, 484, 408, 480 -> 480;
            default -> status >= 500 ? 480 : status;
        };
    }

    /** True when {@code status} stops the other branches at once (RFC 3261 §16.7 step 5: 6xx). */
    public static boolean endsForking(int status) {
        return status >= 600;
    }

    /** Lower is better; compares statuses already passed through {@link #forCaller}. */
    public static int rank(int callerStatus) {
        if (callerStatus >= 600) {
            return 0;
        }
        return switch (callerStatus) {
            case 486 -> 1;
            case 488 -> 2;
            case 480 -> 4;
            case 487 -> 5;
            default -> 3;
        };
    }

    /** The better of two caller statuses; {@code current} of 0 means none yet. */
    public static int better(int current, int candidate) {
        if (current == 0) {
            return candidate;
        }
        return rank(candidate) < rank(current) ? candidate : current;
    }

    /** The CDR cause of an unanswered call that ended with {@code status} sent to the caller. */
    public static Cause causeOf(int status) {
        return switch (status) {
            case 486, 600 -> Cause.BUSY;
            case 480, 408 -> Cause.UNAVAILABLE;
            case 404 -> Cause.NOT_FOUND;
            case 487 -> Cause.CANCELLED;
            default -> status >= 500 && status < 600 ? Cause.FAILED : Cause.REJECTED;
        };
    }
}
