package dev.parley.pbx.contacts;

import dev.parley.pbx.directory.UserId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules of the address book over its {@link ContactRepository}.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>limit</th></tr>
 *   <tr><td>contacts per user</td><td>{@value #MAX_PER_USER}</td></tr>
 *   <tr><td>{@code displayName}</td><td>1–{@value #MAX_NAME} characters, required</td></tr>
 *   <tr><td>{@code extension}</td><td>1–{@value #MAX_NUMBER} of {@code 0-9 A-Z a-z * # + . _ -}</td></tr>
 *   <tr><td>{@code phoneNumbers}</td><td>at most {@value #MAX_NUMBERS}, each 1–{@value #MAX_NUMBER} of
 *       {@code 0-9 + * # ( ) . -} and spaces, with a digit</td></tr>
 *   <tr><td>{@code email}</td><td>at most {@value #MAX_EMAIL} characters, one {@code @} with text on each
 *       side, no spaces</td></tr>
 *   <tr><td>picture</td><td>PNG, JPEG or WebP by magic bytes, at most {@value #MAX_PICTURE_BYTES} bytes</td></tr>
 * </table>
 *
 * <p>Thread-safe; calls block (the repository).
 */
public final class Contacts {
    public static final int MAX_PER_USER = 1000;
    public static final int MAX_PICTURE_BYTES = 256 * 1024;
    public static final int MAX_NAME = 100;
    public static final int MAX_NUMBER = 32;
    public static final int MAX_NUMBERS = 10;
    public static final int MAX_EMAIL = 254;
    private static final Pattern EXTENSION = Pattern.compile("[0-9A-Za-z*#+._-]{1," + MAX_NUMBER + "}");
    private static final Pattern PHONE = Pattern.compile("[0-9+*#(). -]{1," + MAX_NUMBER + "}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    /** A contact's fields as a client sent them; checked by {@link #check}. */
    public record Draft(String displayName, String extension, List<String> phoneNumbers, String email) {
        public Draft {
            phoneNumbers = phoneNumbers == null ? List.of() : List.copyOf(phoneNumbers);
        }
    }

    /** A field breaks a rule: {@code field} names it (e.g. {@code phoneNumbers[2]}), {@code problem} says how. */
    public static final class Invalid extends RuntimeException {
        private final String field;

        Invalid(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** What became of a picture upload. */
    public enum PictureOutcome { STORED, NO_SUCH_CONTACT, TOO_LARGE, NOT_PNG_JPEG_OR_WEBP }

    private final ContactRepository repository;

    public Contacts(ContactRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    public List<Contact> list(UserId owner) {
        return repository.findByOwner(owner);
    }

    public Optional<Contact> find(UserId owner, String id) {
        return repository.find(owner, id);
    }

    /**
     * Adds a contact for {@code owner}.
     *
     * @return the stored contact, or empty when the owner already has {@value #MAX_PER_USER}
     * @throws Invalid when a field breaks a rule
     */
    public Optional<Contact> create(UserId owner, Draft draft) {
        Contact c = check(new Contact(UUID.randomUUID().toString(), owner, "", null, List.of(), null, false), draft);
        return repository.insert(c, MAX_PER_USER) ? Optional.of(c) : Optional.empty();
    }

    /**
     * Replaces the fields of the owner's contact {@code id} (its picture stays).
     *
     * @return the stored contact, or empty when the owner has no such contact
     * @throws Invalid when a field breaks a rule
     */
    public Optional<Contact> update(UserId owner, String id, Draft draft) {
        Optional<Contact> old = repository.find(owner, id);
        if (old.isEmpty()) {
            return Optional.empty();
        }
        Contact c = check(old.get(), draft);
        return repository.update(c) ? repository.find(owner, id) : Optional.empty();
    }

    public boolean delete(UserId owner, String id) {
        return repository.delete(owner, id);
    }

    public Optional<Picture> picture(UserId owner, String id) {
        return repository.picture(owner, id);
    }

    /** Stores {@code bytes} as the picture of the owner's contact {@code id} if they are a small enough image. */
    public PictureOutcome setPicture(UserId owner, String id, byte[] bytes) {
        if (bytes.length > MAX_PICTURE_BYTES) {
            return PictureOutcome.TOO_LARGE;
        }
        Optional<PictureType> type = PictureType.detect(bytes);
        if (type.isEmpty()) {
            return PictureOutcome.NOT_PNG_JPEG_OR_WEBP;
        }
        return repository.setPicture(owner, id, new Picture(type.get(), bytes)) ? PictureOutcome.STORED
                : PictureOutcome.NO_SUCH_CONTACT;
    }

    /** Removes the picture; false when the owner has no such contact. */
    public boolean removePicture(UserId owner, String id) {
        return repository.setPicture(owner, id, null);
    }

    private static Contact check(Contact base, Draft d) {
        String name = d.displayName() == null ? "" : d.displayName().strip();
        if (name.isEmpty()) {
            throw new Invalid("displayName", "is required");
        }
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid("displayName", "must be at most " + MAX_NAME + " characters, without control"
                    + " characters");
        }
        String extension = emptyToNull(d.extension());
        if (extension != null && !EXTENSION.matcher(extension).matches()) {
            throw new Invalid("extension", "must be 1 to " + MAX_NUMBER + " of 0-9 A-Z a-z * # + . _ -");
        }
        if (d.phoneNumbers().size() > MAX_NUMBERS) {
            throw new Invalid("phoneNumbers", "at most " + MAX_NUMBERS + " numbers");
        }
        for (int i = 0; i < d.phoneNumbers().size(); i++) {
            String n = d.phoneNumbers().get(i);
            if (n == null || !PHONE.matcher(n).matches() || n.chars().noneMatch(Character::isDigit)) {
                throw new Invalid("phoneNumbers[" + i + "]", "must be 1 to " + MAX_NUMBER
                        + " of 0-9 + * # ( ) . - and spaces, with at least one digit");
            }
        }
        String email = emptyToNull(d.email());
        if (email != null && (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches())) {
            throw new Invalid("email", "must be an address like name@example.com, at most " + MAX_EMAIL
                    + " characters");
        }
        return new Contact(base.id(), base.owner(), name, extension, d.phoneNumbers(), email, base.hasPicture());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
