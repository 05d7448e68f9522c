package dev.parley.pbx.directory;

import java.util.Objects;

/**
 * One set of SIP credentials: a desk phone, a softphone or a browser phone of a user. A device authenticates with
 * Digest as {@code sipUsername} and may register the address of record named by its own {@code sipUsername} or by
 * any {@link Extension} its owner has.
 *
 * <p>The secret is held in clear in memory (Digest needs it for every algorithm and realm), shown by
 * {@link SipSecret#toString()} as a placeholder, and persisted only as {@code SecretCipher} ciphertext.
 *
 * @param id stable identity
 * @param owner the user the device belongs to
 * @param sipUsername the Digest username and the user part of its own address of record: letters, digits and
 *     {@code . _ + -}, 1 to 64 characters; unique across devices, compared case-sensitively as Digest does
 * @param secret the Digest password
 * @param label what the admin calls it ("desk phone"); free text, may be empty
 * @param mediaPolicy whether its media must, may or must not be SRTP ({@link MediaPolicy#PREFERRED} by default)
 */
public record Device(DeviceId id, UserId owner, String sipUsername, SipSecret secret, String label,
        MediaPolicy mediaPolicy) {
    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Names.checkName("a SIP username", sipUsername);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(mediaPolicy, "mediaPolicy");
    }

    /** A device with the default media policy, {@link MediaPolicy#PREFERRED}. */
    public Device(DeviceId id, UserId owner, String sipUsername, SipSecret secret, String label) {
        this(id, owner, sipUsername, secret, label, MediaPolicy.PREFERRED);
    }

    /** A new device with a fresh random secret. */
    public static Device create(UserId owner, String sipUsername, String label) {
        return new Device(DeviceId.random(), owner, sipUsername, SipSecret.generate(), label);
    }

    public Device withSecret(SipSecret newSecret) {
        return new Device(id, owner, sipUsername, newSecret, label, mediaPolicy);
    }

    public Device withMediaPolicy(MediaPolicy policy) {
        return new Device(id, owner, sipUsername, secret, label, policy);
    }
}
