package dev.parley.pbx.directory;

import java.util.Objects;
import java.util.UUID;

/** The stable identity of a {@link Device}; opaque text (a UUID when Parley makes it). */
public record DeviceId(String value) {
    public DeviceId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 64) {
            throw new IllegalArgumentException("a device id is 1 to 64 characters, not blank");
        }
    }

    public static DeviceId random() {
        return new DeviceId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
