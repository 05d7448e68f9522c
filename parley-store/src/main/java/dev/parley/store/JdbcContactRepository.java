package dev.parley.store;

import dev.parley.pbx.contacts.Contact;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.contacts.Picture;
import dev.parley.pbx.contacts.PictureType;
import dev.parley.pbx.directory.UserId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link ContactRepository} in the {@code contacts} table, pictures in its {@code picture} column (read only by
 * {@link #picture}); rows go when their user does. Every statement names the owner, so another user's id matches
 * nothing.
 */
final class JdbcContactRepository implements ContactRepository {
    private static final String COLUMNS = "id, user_id, display_name, extension, phone_numbers, email,"
            + " picture_type IS NOT NULL AS has_picture";
    /** Numbers cannot contain a line feed ({@link dev.parley.pbx.contacts.Contacts}), so it separates them. */
    private static final String SEPARATOR = "\n";
    private static final RowMapper<Contact> CONTACT = (rs, ctx) -> new Contact(rs.getString("id"),
            new UserId(rs.getString("user_id")), rs.getString("display_name"), rs.getString("extension"),
            numbers(rs.getString("phone_numbers")), rs.getString("email"), rs.getBoolean("has_picture"));

    private final Jdbi jdbi;
    private final Dialect dialect;

    JdbcContactRepository(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    private static List<String> numbers(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(SEPARATOR, -1));
    }

    @Override
    public List<Contact> findByOwner(UserId owner) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM contacts WHERE user_id = :owner"
                        + " ORDER BY display_name, id")
                .bind("owner", owner.value()).map(CONTACT).list());
    }

    @Override
    public Optional<Contact> find(UserId owner, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM contacts WHERE id = :id AND"
                        + " user_id = :owner")
                .bind("id", id).bind("owner", owner.value()).map(CONTACT).findOne());
    }

    @Override
    public boolean insert(Contact c, int limit) {
        try {
            // count and insert in one transaction; on PostgreSQL two concurrent inserts of one user may both pass
            // the count (read committed), so the limit can be passed by the number of such races, never by more
            return jdbi.inTransaction(h -> {
                int count = h.createQuery("SELECT count(*) FROM contacts WHERE user_id = :owner")
                        .bind("owner", c.owner().value()).mapTo(Integer.class).one();
                if (count >= limit) {
                    return false;
                }
                h.createUpdate("INSERT INTO contacts (id, user_id, display_name, extension, phone_numbers, email)"
                                + " VALUES (:id, :owner, :name, :extension, :numbers, :email)")
                        .bind("id", c.id()).bind("owner", c.owner().value()).bind("name", c.displayName())
                        .bind("extension", c.extension()).bind("numbers", String.join(SEPARATOR, c.phoneNumbers()))
                        .bind("email", c.email()).execute();
                return true;
            });
        } catch (JdbiException e) {
            switch (dialect.violation(e)) {
                case FOREIGN_KEY -> throw new IllegalStateException("no user " + c.owner() + " to hold a contact", e);
                case UNIQUE -> throw new IllegalStateException("a contact with that id exists", e);
                default -> throw e;
            }
        }
    }

    @Override
    public boolean update(Contact c) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE contacts SET display_name = :name, extension = :extension,"
                        + " phone_numbers = :numbers, email = :email WHERE id = :id AND user_id = :owner")
                .bind("name", c.displayName()).bind("extension", c.extension())
                .bind("numbers", String.join(SEPARATOR, c.phoneNumbers())).bind("email", c.email())
                .bind("id", c.id()).bind("owner", c.owner().value()).execute()) > 0;
    }

    @Override
    public boolean delete(UserId owner, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM contacts WHERE id = :id AND user_id = :owner")
                .bind("id", id).bind("owner", owner.value()).execute()) > 0;
    }

    @Override
    public Optional<Picture> picture(UserId owner, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT picture_type, picture FROM contacts WHERE id = :id AND"
                        + " user_id = :owner AND picture_type IS NOT NULL")
                .bind("id", id).bind("owner", owner.value())
                .map((rs, ctx) -> PictureType.ofMediaType(rs.getString("picture_type"))
                        .map(t -> {
                            try {
                                return new Picture(t, rs.getBytes("picture"));
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }))
                .findOne().flatMap(p -> p));
    }

    @Override
    public boolean setPicture(UserId owner, String id, Picture picture) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE contacts SET picture_type = :type, picture = :bytes"
                        + " WHERE id = :id AND user_id = :owner")
                .bind("type", picture == null ? null : picture.type().mediaType())
                .bind("bytes", picture == null ? null : picture.bytes())
                .bind("id", id).bind("owner", owner.value()).execute()) > 0;
    }
}
