package dev.parley.sipstack.dialog;

import dev.parley.sipstack.transaction.Branches;

/** Fresh From/To tags (RFC 3261 §19.3: "at least 32 bits of randomness"); Parley uses 64. */
public final class Tags {
    private Tags() {
    }

    public static String newTag() {
        return Branches.randomToken(8);
    }
}
