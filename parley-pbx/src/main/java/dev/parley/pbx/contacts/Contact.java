package dev.parley.pbx.contacts;

import dev.parley.pbx.directory.UserId;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a user's personal address book. Field rules are {@link Contacts}'s; this record only refuses nulls.
 *
 * @param id opaque handle, unique across all users
 * @param owner the user whose contact this is; nobody else can read or change it
 * @param extension a Parley extension to call, or {@code null}
 * @param phoneNumbers other numbers, in the order given
 * @param email or {@code null}
 * @param hasPicture whether a picture is stored (read it with {@link ContactRepository#picture})
 */
public record Contact(String id, UserId owner, String displayName, String extension, List<String> phoneNumbers,
        String email, boolean hasPicture) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(displayName, "displayName");
        phoneNumbers = List.copyOf(phoneNumbers);
    }

    public Contact withPicture(boolean picture) {
        return new Contact(id, owner, displayName, extension, phoneNumbers, email, picture);
    }
}
