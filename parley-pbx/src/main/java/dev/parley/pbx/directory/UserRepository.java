package dev.parley.pbx.directory;

import java.util.List;
import java.util.Optional;

/**
 * Port: where users are kept. Implemented by {@code parley-store} (JDBC) and by
 * {@link dev.parley.pbx.directory.memory.InMemoryUserRepository}. Implementations are thread-safe; calls may block
 * (callers run them on virtual threads, never on an event loop).
 */
public interface UserRepository {

    Optional<User> findById(UserId id);

    /** By the unique login name, exactly as written. */
    Optional<User> findByName(String name);

    /**
     * By email address, compared in {@link User#normalizeEmail normalized} form; empty for a malformed address.
     * The default scans {@link #findAll()}; a store overrides it with an indexed query.
     */
    default Optional<User> findByEmail(String email) {
        String normalized;
        try {
            normalized = User.normalizeEmail(email);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return findAll().stream().filter(u -> normalized.equals(u.email())).findFirst();
    }

    /** Every user, ordered by name. */
    List<User> findAll();

    /**
     * Inserts or, when a user with that id exists, updates.
     *
     * @throws IllegalStateException if another user already has that name or that email address
     */
    void save(User user);

    /**
     * Adds a new user together with the hash of their web password: both or neither. The store writes the two rows
     * in one transaction; the default saves the user, then the hash through {@code passwords}, and deletes the user
     * again if that fails.
     *
     * @param phcHash the PHC string ({@link WebPasswordRepository#checkPhc}), checked before anything is written
     * @param passwords the web passwords of the same store (the JDBC store writes the row itself)
     * @throws IllegalStateException if a user with that id, name or email address exists (nothing is written)
     * @throws IllegalArgumentException if {@code phcHash} is not shaped like a PHC string (nothing is written)
     */
    default void createWithPassword(User user, String phcHash, WebPasswordRepository passwords) {
        WebPasswordRepository.checkPhc(phcHash);
        if (findById(user.id()).isPresent()) {
            throw new IllegalStateException("user " + user.id() + " exists already");
        }
        save(user);
        try {
            passwords.set(user.id(), phcHash);
        } catch (RuntimeException e) {
            delete(user.id());
            throw e;
        }
    }

    /** Removes the user; true if there was one. Its extensions and devices are the caller's to remove first. */
    boolean delete(UserId id);

    /**
     * Removes the user with their devices and extensions. The store does it in one transaction, all or nothing (a
     * row elsewhere that still needs the user keeps everything); the default removes them one by one through
     * {@code extensions} and {@code devices}, devices first, which a failure part way leaves smaller but consistent.
     *
     * @param extensions the extensions of the same store (the JDBC store deletes the rows itself)
     * @param devices the devices of the same store
     * @return true if there was such a user
     * @throws IllegalStateException if something else still needs the user (nothing is removed by the store)
     */
    default boolean deleteWithExtensionsAndDevices(UserId id, ExtensionRepository extensions,
            DeviceRepository devices) {
        if (findById(id).isEmpty()) {
            return false;
        }
        devices.findByOwner(id).forEach(d -> devices.delete(d.id()));
        extensions.findByOwner(id).forEach(e -> extensions.delete(e.number()));
        return delete(id);
    }
}
