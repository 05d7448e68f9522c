package dev.parley.pbx.contacts;

import dev.parley.pbx.directory.UserId;
import java.util.List;
import java.util.Optional;

/**
 * Port: users' contacts and their pictures. Implemented by {@code parley-store} (JDBC; pictures in the database,
 * a user's contacts go with the user) and by {@link dev.parley.pbx.contacts.memory.InMemoryContactRepository}.
 * Every call names the owner: a contact id of another user is treated as absent. Thread-safe; calls may block.
 */
public interface ContactRepository {

    /** The owner's contacts, by display name (then id), without picture bytes. */
    List<Contact> findByOwner(UserId owner);

    Optional<Contact> find(UserId owner, String id);

    /**
     * Adds {@code contact} unless its owner already has {@code limit} contacts.
     *
     * @return false when the owner is at the limit (nothing stored)
     * @throws IllegalStateException when the id exists or the owner does not
     */
    boolean insert(Contact contact, int limit);

    /** Replaces the fields of the owner's contact (not its picture); false when there is no such contact. */
    boolean update(Contact contact);

    /** Deletes the owner's contact and its picture; false when there is no such contact. */
    boolean delete(UserId owner, String id);

    Optional<Picture> picture(UserId owner, String id);

    /** Stores ({@code picture} non-null) or removes the picture; false when there is no such contact. */
    boolean setPicture(UserId owner, String id, Picture picture);
}
