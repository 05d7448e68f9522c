package dev.parley.pbx.media;

import java.util.Objects;

/**
 * The padlock of a call: each leg's security and whether every leg is encrypted. A value, safe to hand to any thread
 * (the REST API reads it from the live calls).
 *
 * @param caller the caller's leg
 * @param callee the answering callee's leg, or {@code null} while nobody has answered
 */
public record CallSecurity(LegSecurity caller, LegSecurity callee) {
    public CallSecurity {
        Objects.requireNonNull(caller, "caller");
    }

    /** True only when both legs exist and both carry SRTP: what a padlock icon may promise. */
    public boolean encryptedAllLegs() {
        return callee != null && caller.encrypted() && callee.encrypted();
    }
}
