package dev.parley.pbx.directory.memory;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link UserRepository} in a map. */
public final class InMemoryUserRepository implements UserRepository {
    private final Map<UserId, User> users = new LinkedHashMap<>();

    @Override
    public synchronized Optional<User> findById(UserId id) {
        return Optional.ofNullable(users.get(id));
    }

    @Override
    public synchronized Optional<User> findByName(String name) {
        return users.values().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<User> findAll() {
        return users.values().stream().sorted(Comparator.comparing(User::name)).toList();
    }

    @Override
    public synchronized void save(User user) {
        for (User other : users.values()) {
            if (other.name().equals(user.name()) && !other.id().equals(user.id())) {
                throw new IllegalStateException("user name " + user.name() + " is taken");
            }
            if (user.email() != null && user.email().equals(other.email()) && !other.id().equals(user.id())) {
                throw new IllegalStateException("email address of " + user.name() + " is taken");
            }
        }
        users.put(user.id(), user);
    }

    @Override
    public synchronized boolean delete(UserId id) {
        return users.remove(id) != null;
    }
}
