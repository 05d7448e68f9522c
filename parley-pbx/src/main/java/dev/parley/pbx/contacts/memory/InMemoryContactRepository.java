package dev.parley.pbx.contacts.memory;

import dev.parley.pbx.contacts.Contact;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.contacts.Picture;
import dev.parley.pbx.directory.UserId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ContactRepository} in maps. Unlike the JDBC store it cannot check that the owner exists. */
public final class InMemoryContactRepository implements ContactRepository {
    private static final Comparator<Contact> BY_NAME =
            Comparator.comparing(Contact::displayName).thenComparing(Contact::id);
    private final Map<String, Contact> byId = new HashMap<>();
    private final Map<String, Picture> pictures = new HashMap<>();

    @Override
    public synchronized List<Contact> findByOwner(UserId owner) {
        return byId.values().stream().filter(c -> c.owner().equals(owner)).sorted(BY_NAME).toList();
    }

    @Override
    public synchronized Optional<Contact> find(UserId owner, String id) {
        return Optional.ofNullable(byId.get(id)).filter(c -> c.owner().equals(owner));
    }

    @Override
    public synchronized boolean insert(Contact contact, int limit) {
        if (byId.containsKey(contact.id())) {
            throw new IllegalStateException("a contact with that id exists");
        }
        if (byId.values().stream().filter(c -> c.owner().equals(contact.owner())).count() >= limit) {
            return false;
        }
        byId.put(contact.id(), contact.withPicture(false));
        return true;
    }

    @Override
    public synchronized boolean update(Contact contact) {
        Optional<Contact> old = find(contact.owner(), contact.id());
        if (old.isEmpty()) {
            return false;
        }
        byId.put(contact.id(), contact.withPicture(old.get().hasPicture()));
        return true;
    }

    @Override
    public synchronized boolean delete(UserId owner, String id) {
        if (find(owner, id).isEmpty()) {
            return false;
        }
        byId.remove(id);
        pictures.remove(id);
        return true;
    }

    @Override
    public synchronized Optional<Picture> picture(UserId owner, String id) {
        return find(owner, id).map(c -> pictures.get(id));
    }

    @Override
    public synchronized boolean setPicture(UserId owner, String id, Picture picture) {
        Optional<Contact> c = find(owner, id);
        if (c.isEmpty()) {
            return false;
        }
        if (picture == null) {
            pictures.remove(id);
        } else {
            pictures.put(id, new Picture(picture.type(), picture.bytes().clone()));
        }
        byId.put(id, c.get().withPicture(picture != null));
        return true;
    }
}
