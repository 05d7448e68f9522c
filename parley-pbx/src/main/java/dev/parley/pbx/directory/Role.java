package dev.parley.pbx.directory;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do in the web application and the REST API. Ordered by power: a role includes what every role
 * after it may do.
 *
 * <ul>
 *   <li>{@link #SUPERADMIN}: everything, including managing admins; the account created at first start.</li>
 *   <li>{@link #ADMIN}: manages users, extensions, devices and the PBX, but not superadmins.</li>
 *   <li>{@link #USER}: their own profile, calls, contacts and settings.</li>
 * </ul>
 *
 * <p>Stored and shown as the lower-case {@link #wireName()} ({@code users.role}).
 */
public enum Role {
    SUPERADMIN,
    ADMIN,
    USER;

    /** The name in the database and in JSON: {@code superadmin}, {@code admin}, {@code user}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for {@link #SUPERADMIN} and {@link #ADMIN}. */
    public boolean isAdmin() {
        return this != USER;
    }

    /** The role named {@code wireName} exactly as {@link #wireName()} writes it, if there is one. */
    public static Optional<Role> fromWireName(String wireName) {
        for (Role r : values()) {
            if (r.wireName().equals(wireName)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
