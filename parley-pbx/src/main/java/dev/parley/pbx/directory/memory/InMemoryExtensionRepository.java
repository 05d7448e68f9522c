package dev.parley.pbx.directory.memory;

import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.UserId;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** {@link ExtensionRepository} in a map. */
public final class InMemoryExtensionRepository implements ExtensionRepository {
    private final TreeMap<String, Extension> extensions = new TreeMap<>();

    @Override
    public synchronized Optional<Extension> find(String number) {
        return Optional.ofNullable(extensions.get(number));
    }

    @Override
    public synchronized List<Extension> findByOwner(UserId owner) {
        return extensions.values().stream().filter(e -> e.owner().equals(owner)).toList();
    }

    @Override
    public synchronized List<Extension> findAll() {
        return List.copyOf(extensions.values());
    }

    @Override
    public synchronized void save(Extension extension) {
        extensions.put(extension.number(), extension);
    }

    @Override
    public synchronized boolean add(Extension extension) {
        return extensions.putIfAbsent(extension.number(), extension) == null;
    }

    @Override
    public synchronized boolean delete(String number) {
        return extensions.remove(number) != null;
    }
}
