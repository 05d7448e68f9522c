package dev.parley.pbx.auth;

/**
 * Why a request was answered with a challenge instead of being accepted. The answer on the wire is the same for
 * every reason but {@link #STALE_NONCE} and {@link #REPLAYED_NONCE} (which add {@code stale=true}); the reason is
 * for the caller's bookkeeping only.
 */
public enum ChallengeReason {
    /** No Digest credentials for this realm: the usual first request of every phone. */
    NO_CREDENTIALS(false),
    /** The nonce is not one this server issued (forged, mangled, or from before a restart with a new key). */
    INVALID_NONCE(false),
    /** The nonce is authentic and the response correct, but the nonce is past its lifetime (RFC 7616 §3.3). */
    STALE_NONCE(false),
    /** The response is correct but its nonce and {@code nc} were used before: a replay, or a client bug. */
    REPLAYED_NONCE(false),
    /**
     * Credentials against a valid nonce that do not verify: wrong password, unknown user, an algorithm or qop that
     * was not offered, missing {@code cnonce}/{@code nc}. The one reason that counts towards a ban.
     */
    WRONG_CREDENTIALS(true);

    private final boolean failure;

    ChallengeReason(boolean failure) {
        this.failure = failure;
    }

    /**
     * True when this counts as a failed authentication for {@code Bans}. Only answers that tested a password do:
     * an invalid nonce is never checked against one, so it gives a guesser nothing, and counting it would ban a
     * whole office behind one NAT after a restart (every phone re-using its old nonce once).
     */
    public boolean isFailure() {
        return failure;
    }
}
