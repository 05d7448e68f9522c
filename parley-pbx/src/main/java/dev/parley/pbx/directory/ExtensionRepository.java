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

    /** Removes the number; true if it existed. */
    boolean delete(String number);
}
