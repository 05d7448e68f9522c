package dev.parley.pbx.directory;

import java.util.Objects;

/**
 * A person (or a shared account such as "reception") who owns extensions and devices.
 *
 * @param id stable identity
 * @param name the unique login name: letters, digits and {@code . _ + -}, 1 to 64 characters
 * @param displayName what callees see as the caller's name; free text, may be empty
 */
public record User(UserId id, String name, String displayName) {
    public User {
        Objects.requireNonNull(id, "id");
        Names.checkName("a user name", name);
        Objects.requireNonNull(displayName, "displayName");
    }
}
