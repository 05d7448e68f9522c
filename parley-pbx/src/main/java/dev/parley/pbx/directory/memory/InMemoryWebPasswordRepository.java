package dev.parley.pbx.directory.memory;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link WebPasswordRepository} in a map. Unlike the JDBC store it cannot check that the user exists, and it keeps a
 * deleted user's hash until it is overwritten.
 */
public final class InMemoryWebPasswordRepository implements WebPasswordRepository {
    private final Map<UserId, String> hashes = new HashMap<>();

    @Override
    public synchronized Optional<String> find(UserId user) {
        return Optional.ofNullable(hashes.get(Objects.requireNonNull(user, "user")));
    }

    @Override
    public synchronized void set(UserId user, String phcHash) {
        Objects.requireNonNull(user, "user");
        hashes.put(user, WebPasswordRepository.checkPhc(phcHash));
    }
}
