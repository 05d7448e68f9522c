package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.contacts.Contact;
import dev.parley.pbx.contacts.ContactRepository;
import dev.parley.pbx.contacts.Picture;
import dev.parley.pbx.contacts.PictureType;
import dev.parley.pbx.directory.User;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ContactRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class ContactRepositoryContract {
    private ContactRepository contacts;
    private User alice;
    private User bob;

    protected abstract SettingsRepositories repositories();

    @BeforeEach
    void setUp() {
        SettingsRepositories r = repositories();
        contacts = r.contacts();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    private Contact contact(String id, User owner, String name) {
        return new Contact(id, owner.id(), name, null, List.of(), null, false);
    }

    private static byte[] png(int size) {
        byte[] b = new byte[size];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, 0, b, 0, 8);
        for (int i = 8; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    @Test
    void everyFieldRoundTrips() {
        Contact c = new Contact("c1", alice.id(), "Zoë O'Neil", "201", List.of("+41 44 123 45 67", "(555) 010-9999"),
                "zoe@example.com", false);
        assertThat(contacts.insert(c, 10)).isTrue();
        assertThat(contacts.find(alice.id(), "c1")).contains(c);
        assertThat(contacts.findByOwner(alice.id())).containsExactly(c);
    }

    @Test
    void nullsAndNoNumbersRoundTrip() {
        Contact c = contact("c1", alice, "Plain");
        contacts.insert(c, 10);
        assertThat(contacts.find(alice.id(), "c1")).contains(c);
    }

    @Test
    void anotherUsersContactIsAbsentForEveryOperation() {
        contacts.insert(contact("c1", alice, "A"), 10);
        contacts.setPicture(alice.id(), "c1", new Picture(PictureType.PNG, png(100)));
        assertThat(contacts.find(bob.id(), "c1")).isEmpty();
        assertThat(contacts.findByOwner(bob.id())).isEmpty();
        assertThat(contacts.picture(bob.id(), "c1")).isEmpty();
        assertThat(contacts.update(contact("c1", bob, "stolen"))).isFalse();
        assertThat(contacts.setPicture(bob.id(), "c1", null)).isFalse();
        assertThat(contacts.delete(bob.id(), "c1")).isFalse();
        assertThat(contacts.find(alice.id(), "c1").orElseThrow().displayName()).isEqualTo("A");
        assertThat(contacts.picture(alice.id(), "c1")).isPresent();
    }

    @Test
    void listIsByNameThenIdBytewise() {
        contacts.insert(contact("c2", alice, "bea"), 10);
        contacts.insert(contact("c3", alice, "Bea"), 10);
        contacts.insert(contact("c1", alice, "bea"), 10);
        contacts.insert(contact("c4", bob, "aaa"), 10);
        assertThat(contacts.findByOwner(alice.id())).extracting(Contact::id).containsExactly("c3", "c1", "c2");
    }

    @Test
    void insertStopsAtTheLimitPerOwner() {
        assertThat(contacts.insert(contact("c1", alice, "1"), 2)).isTrue();
        assertThat(contacts.insert(contact("c2", alice, "2"), 2)).isTrue();
        assertThat(contacts.insert(contact("c3", alice, "3"), 2)).isFalse();
        assertThat(contacts.insert(contact("c4", bob, "4"), 2)).isTrue();
        assertThat(contacts.findByOwner(alice.id())).hasSize(2);
    }

    @Test
    void aSecondContactWithTheSameIdIsRefused() {
        contacts.insert(contact("c1", alice, "A"), 10);
        assertThatThrownBy(() -> contacts.insert(contact("c1", bob, "B"), 10))
                .isInstanceOf(IllegalStateException.class);
        assertThat(contacts.findByOwner(bob.id())).isEmpty();
    }

    @Test
    void updateReplacesFieldsAndKeepsThePicture() {
        contacts.insert(contact("c1", alice, "A"), 10);
        Picture p = new Picture(PictureType.PNG, png(300));
        assertThat(contacts.setPicture(alice.id(), "c1", p)).isTrue();
        Contact changed = new Contact("c1", alice.id(), "Changed", "7", List.of("1"), "a@b", false);
        assertThat(contacts.update(changed)).isTrue();
        assertThat(contacts.find(alice.id(), "c1")).contains(changed.withPicture(true));
        assertThat(contacts.picture(alice.id(), "c1")).contains(p);
        assertThat(contacts.update(contact("nope", alice, "x"))).isFalse();
    }

    @Test
    void pictureBytesRoundTripExactlyAndCanBeRemoved() {
        contacts.insert(contact("c1", alice, "A"), 10);
        assertThat(contacts.picture(alice.id(), "c1")).isEmpty();
        byte[] bytes = png(256 * 1024);
        assertThat(contacts.setPicture(alice.id(), "c1", new Picture(PictureType.PNG, bytes))).isTrue();
        Picture back = contacts.picture(alice.id(), "c1").orElseThrow();
        assertThat(back.type()).isEqualTo(PictureType.PNG);
        assertThat(back.bytes()).isEqualTo(bytes);
        assertThat(contacts.find(alice.id(), "c1").orElseThrow().hasPicture()).isTrue();
        assertThat(contacts.setPicture(alice.id(), "c1", null)).isTrue();
        assertThat(contacts.picture(alice.id(), "c1")).isEmpty();
        assertThat(contacts.find(alice.id(), "c1").orElseThrow().hasPicture()).isFalse();
        assertThat(contacts.setPicture(alice.id(), "missing", new Picture(PictureType.PNG, bytes))).isFalse();
    }

    @Test
    void deleteTakesThePictureWithIt() {
        contacts.insert(contact("c1", alice, "A"), 10);
        contacts.setPicture(alice.id(), "c1", new Picture(PictureType.JPEG, new byte[] {(byte) 0xFF, (byte) 0xD8,
                (byte) 0xFF, 1}));
        assertThat(contacts.delete(alice.id(), "c1")).isTrue();
        assertThat(contacts.delete(alice.id(), "c1")).isFalse();
        assertThat(contacts.picture(alice.id(), "c1")).isEmpty();
        assertThat(contacts.findByOwner(alice.id())).isEmpty();
    }
}
