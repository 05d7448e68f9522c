package dev.parley.pbx.directory;

import java.util.Objects;

/**
 * A number that rings a user, and the address of record ({@code sip:<number>@<domain>}) the user's devices may
 * register. One user may own several extensions; a number belongs to one user.
 *
 * @param number digits and {@code * # +}, 1 to 32 characters; unique
 * @param owner the user it rings
 */
public record Extension(String number, UserId owner) {
    public Extension {
        Names.checkNumber(number);
        Objects.requireNonNull(owner, "owner");
    }
}
