package dev.parley.pbx.directory;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A person (or a shared account such as "reception") who owns extensions and devices.
 *
 * @param id stable identity
 * @param name the unique login name: letters, digits and {@code . _ + -}, 1 to 64 characters
 * @param displayName what callees see as the caller's name; free text, may be empty
 * @param role what the user may do in the web application and the API
 * @param email the unique email address that also signs in, kept in lower case, or null for none
 */
public record User(UserId id, String name, String displayName, Role role, String email) {
    /** Longest email address accepted (RFC 5321 §4.5.3.1.3: a path is at most 256 octets, 254 without brackets). */
    public static final int MAX_EMAIL_LENGTH = 254;

    public User {
        Objects.requireNonNull(id, "id");
        Names.checkName("a user name", name);
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        email = email == null ? null : normalizeEmail(email);
    }

    /** A {@link Role#USER} without an email address. */
    public User(UserId id, String name, String displayName) {
        this(id, name, displayName, Role.USER, null);
    }

    /** The email address, if the user has one. */
    public Optional<String> emailAddress() {
        return Optional.ofNullable(email);
    }

    public User withRole(Role newRole) {
        return new User(id, name, displayName, newRole, email);
    }

    public User withEmail(String newEmail) {
        return new User(id, name, displayName, role, newEmail);
    }

    /**
     * The form in which email addresses are stored and compared: trimmed and in lower case (the local part is
     * case-sensitive in theory, RFC 5321 §2.4, but no mail system people use treats it so, and two accounts that
     * differ only in case would be a trap).
     *
     * @throws IllegalArgumentException if it is not {@code local@domain} of printable ASCII without spaces, at most
     *     {@value #MAX_EMAIL_LENGTH} characters
     */
    public static String normalizeEmail(String email) {
        String e = email.strip().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        if (e.length() > MAX_EMAIL_LENGTH || at < 1 || at == e.length() - 1) {
            throw new IllegalArgumentException("an email address must be local@domain, at most " + MAX_EMAIL_LENGTH
                    + " characters");
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException("an email address may hold printable ASCII without spaces only");
            }
        }
        return e;
    }
}
