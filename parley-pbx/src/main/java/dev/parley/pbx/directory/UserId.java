package dev.parley.pbx.directory;

import java.util.Objects;
import java.util.UUID;

/** The stable identity of a {@link User}; opaque text (a UUID when Parley makes it). */
public record UserId(String value) {
    public UserId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 64) {
            throw new IllegalArgumentException("a user id is 1 to 64 characters, not blank");
        }
    }

    public static UserId random() {
        return new UserId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
