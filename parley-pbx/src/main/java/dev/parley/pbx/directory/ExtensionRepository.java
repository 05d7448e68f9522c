package dev.parley.pbx.directory;

import java.util.List;
import java.util.Optional;

/**
 * Port: where extensions are kept. Implemented by {@code parley-store} (JDBC) and by
 * {@link dev.parley.pbx.directory.memory.InMemoryExtensionRepository}. Thread-safe; calls may block.
 */
public interface ExtensionRepository {

    Optional<Extension> find(String number);

    /** The extensions of one user, ordered by number. */
    List<Extension> findByOwner(UserId owner);

    /** Every extension, ordered by number. */
    List<Extension> findAll();

    /** Inserts, or changes the owner of an existing number. */
    void save(Extension extension);

    /**
     * Inserts a new number and never takes one from its owner, as creating an extension must not: of two writers
     * adding the same number at once, in this process or another, exactly one gets true. The default checks and then
     * saves, which another process can slip between; the store and the in-memory repository do it in one step.
     *
     * @return true if the number was added, false (nothing written) if it already exists
     * @throws IllegalStateException if the store knows no such owner
     */
    default boolean add(Extension extension) {
        if (find(extension.number()).isPresent()) {
            return false;
        }
        save(extension);
        return true;
    }

    /** Removes the number; true if it existed. */
    boolean delete(String number);
}
