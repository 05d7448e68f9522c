package dev.parley.pbx.routing;

import dev.parley.pbx.directory.Device;
import java.util.Objects;

/**
 * Who places a call, as Parley vouches for it: never the From header a phone wrote, but what its Digest
 * credentials prove.
 *
 * @param device the device that authenticated the INVITE
 * @param number what the callee sees and the CDR records: the owner's first extension, or the device's SIP
 *     username when the owner has none
 * @param displayName the owner's display name, or {@code null} when empty
 */
public record CallerId(Device device, String number, String displayName) {
    public CallerId {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(number, "number");
    }
}
