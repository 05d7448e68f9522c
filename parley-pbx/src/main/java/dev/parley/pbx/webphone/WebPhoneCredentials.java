package dev.parley.pbx.webphone;

import dev.parley.pbx.directory.Device;
import java.time.Instant;
import java.util.Objects;

/**
 * The SIP credentials of one browser phone: a device of the user that exists in memory only.
 *
 * @param device the device: {@code sipUsername} is the Digest authorization user ({@code web-} and 22 random
 *     base64url characters, 132 bits), {@code secret} the Digest password (144 random bits)
 * @param extension the extension the phone registers and calls from: the user's first
 * @param displayName the user's display name (may be empty)
 * @param sessionKey the web session they belong to (the hash the session store keys it by, not the cookie)
 * @param expiresAt the latest instant they work; they stop earlier when the session ends
 */
public record WebPhoneCredentials(Device device, String extension, String displayName, String sessionKey,
        Instant expiresAt) {
    public WebPhoneCredentials {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String authorizationUser() {
        return device.sipUsername();
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "WebPhoneCredentials[" + device.sipUsername() + " for " + extension + ", until " + expiresAt + "]";
    }
}
