package dev.parley.pbx.directory;

import java.util.List;
import java.util.Optional;

/**
 * Port: where devices and their SIP credentials are kept. Implemented by {@code parley-store} (JDBC) and by
 * {@link dev.parley.pbx.directory.memory.InMemoryDeviceRepository}. Thread-safe; calls may block.
 *
 * <p>The store encrypts {@link Device#secret()} with {@link dev.parley.pbx.security.SecretCipher} before writing it
 * (using the device id in the cipher's context, so ciphertext copied to another row does not decrypt) and decrypts
 * on reading; only ciphertext reaches the database.
 *
 * <p>{@link #findBySipUsername} is on the path of every authenticated request. It must take about the same time
 * whether or not the user exists (an indexed lookup does), because the Digest authenticator answers known and
 * unknown users alike and a slow "found" path would give away which usernames exist.
 */
public interface DeviceRepository {

    Optional<Device> findById(DeviceId id);

    /** By Digest username, compared exactly (case-sensitively). */
    Optional<Device> findBySipUsername(String sipUsername);

    /** The devices of one user, ordered by SIP username. */
    List<Device> findByOwner(UserId owner);

    /** Every device, ordered by SIP username. */
    List<Device> findAll();

    /**
     * Inserts or, when a device with that id exists, updates.
     *
     * @throws IllegalStateException if another device already has that SIP username
     */
    void save(Device device);

    /** Removes the device; true if there was one. */
    boolean delete(DeviceId id);

    /**
     * Whether {@code device}'s credentials are good over a WebSocket only: a browser phone's short-lived credentials,
     * bound to a web session ({@code dev.parley.pbx.webphone}). A stored device may use any transport.
     */
    default boolean webSocketOnly(Device device) {
        return false;
    }
}
