package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.Role;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.directory.WebPasswordRepository;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link UserRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class UserRepositoryContract {
    private UserRepository users;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        users = repositories().users();
    }

    @Test
    void aUserIsDeletedWithTheirExtensionsAndDevicesOnly() {
        Repositories r = repositories();
        User alice = user("alice");
        User bob = user("bob");
        users.save(alice);
        users.save(bob);
        r.extensions().save(new Extension("101", alice.id()));
        r.extensions().save(new Extension("102", alice.id()));
        r.extensions().save(new Extension("201", bob.id()));
        r.devices().save(Device.create(alice.id(), "alice-1", "desk"));
        r.devices().save(Device.create(alice.id(), "alice-2", "soft"));
        Device bobs = Device.create(bob.id(), "bob-1", "desk");
        r.devices().save(bobs);

        assertThat(users.deleteWithExtensionsAndDevices(alice.id(), r.extensions(), r.devices())).isTrue();
        assertThat(users.findById(alice.id())).isEmpty();
        assertThat(r.extensions().findAll()).containsExactly(new Extension("201", bob.id()));
        assertThat(r.devices().findAll()).extracting(Device::sipUsername).containsExactly("bob-1");
        assertThat(users.findById(bob.id())).contains(bob);
        assertThat(users.deleteWithExtensionsAndDevices(alice.id(), r.extensions(), r.devices())).isFalse();
        assertThat(users.deleteWithExtensionsAndDevices(new UserId("nobody"), r.extensions(), r.devices())).isFalse();
    }

    private static final String PHC = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

    @Test
    void aUserIsCreatedWithTheirPasswordHashTogether() {
        WebPasswordRepository passwords = repositories().webPasswords();
        User alice = new User(new UserId("a"), "alice", "Alice", Role.ADMIN, "alice@example.org");
        users.createWithPassword(alice, PHC, passwords);
        assertThat(users.findById(alice.id())).contains(alice);
        assertThat(passwords.find(alice.id())).contains(PHC);
    }

    @Test
    void aRefusedCreationWritesNeitherTheUserNorTheHash() {
        WebPasswordRepository passwords = repositories().webPasswords();
        User alice = new User(new UserId("a"), "alice", "Alice", Role.USER, "alice@example.org");
        users.createWithPassword(alice, PHC, passwords);
        String other = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNo";

        User sameName = new User(new UserId("b"), "alice", "B");
        assertThatThrownBy(() -> users.createWithPassword(sameName, other, passwords))
                .isInstanceOf(IllegalStateException.class);
        User sameEmail = new User(new UserId("c"), "carol", "C", Role.USER, "ALICE@example.org");
        assertThatThrownBy(() -> users.createWithPassword(sameEmail, other, passwords))
                .isInstanceOf(IllegalStateException.class);
        User sameId = new User(alice.id(), "mallory", "M");
        assertThatThrownBy(() -> users.createWithPassword(sameId, other, passwords))
                .isInstanceOf(IllegalStateException.class);
        User plain = user("dave");
        assertThatThrownBy(() -> users.createWithPassword(plain, "a password, not a hash", passwords))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not a hash");

        assertThat(users.findAll()).containsExactly(alice);
        assertThat(passwords.find(alice.id())).as("the first user's hash is untouched").contains(PHC);
        for (UserId id : List.of(new UserId("b"), new UserId("c"), plain.id())) {
            assertThat(passwords.find(id)).isEmpty();
        }
    }

    @Test
    void whenTheHashCannotBeWrittenTheUserIsNotKept() {
        // the default (in memory) takes the password back out through the repository it was given; a store that
        // writes both rows in one transaction ignores it, and JdbcStoreContract fails the row in the database
        WebPasswordRepository broken = new WebPasswordRepository() {
            @Override
            public Optional<String> find(UserId user) {
                return Optional.empty();
            }

            @Override
            public void set(UserId user, String phcHash) {
                throw new IllegalStateException("disk full");
            }
        };
        User erin = user("erin");
        try {
            users.createWithPassword(erin, PHC, broken);
        } catch (IllegalStateException e) {
            assertThat(e).hasMessage("disk full");
        }
        if (users.findById(erin.id()).isPresent()) { // the store wrote both rows itself
            assertThat(repositories().webPasswords().find(erin.id())).contains(PHC);
        } else {
            assertThat(users.findByName("erin")).isEmpty();
        }
    }

    @Test
    void savedUserIsFoundByIdAndByName() {
        User alice = new User(new UserId("7f3c"), "alice", "Alice Zoë Ångström ☎");
        users.save(alice);
        assertThat(users.findById(alice.id())).contains(alice);
        assertThat(users.findByName("alice")).contains(alice);
    }

    @Test
    void unknownIdOrNameIsEmpty() {
        users.save(user("alice"));
        assertThat(users.findById(new UserId("nobody"))).isEmpty();
        assertThat(users.findByName("bob")).isEmpty();
    }

    @Test
    void nameIsComparedExactlyAsWritten() {
        users.save(user("Alice"));
        assertThat(users.findByName("alice")).isEmpty();
        assertThat(users.findByName("ALICE")).isEmpty();
        assertThat(users.findByName("Alice")).isPresent();
    }

    @Test
    void findAllIsOrderedByNameCodePointByCodePoint() {
        List<String> names = List.of("bob", "Alice", "alice", "_under", "Zed", "1st", "a.b", "a-b", "a+b");
        names.forEach(n -> users.save(user(n)));
        assertThat(users.findAll()).extracting(User::name)
                .containsExactlyElementsOf(names.stream().sorted(Comparator.naturalOrder()).toList());
    }

    @Test
    void saveWithAKnownIdUpdatesTheUser() {
        User alice = user("alice");
        users.save(alice);
        User renamed = new User(alice.id(), "alice2", "");
        users.save(renamed);
        assertThat(users.findById(alice.id())).contains(renamed);
        assertThat(users.findByName("alice")).isEmpty();
        assertThat(users.findAll()).containsExactly(renamed);
    }

    @Test
    void savingTheSameUserTwiceIsNotAConflict() {
        User alice = user("alice");
        users.save(alice);
        users.save(alice);
        assertThat(users.findAll()).containsExactly(alice);
    }

    @Test
    void nameTakenByAnotherUserIsRefusedAndNothingChanges() {
        User alice = user("alice");
        User bob = user("bob");
        users.save(alice);
        users.save(bob);
        assertThatThrownBy(() -> users.save(new User(new UserId("other"), "alice", "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("alice");
        assertThatThrownBy(() -> users.save(new User(bob.id(), "alice", "x")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(users.findAll()).containsExactly(alice, bob);
    }

    @Test
    void deleteRemovesOnce() {
        User alice = user("alice");
        users.save(alice);
        assertThat(users.delete(alice.id())).isTrue();
        assertThat(users.delete(alice.id())).isFalse();
        assertThat(users.findById(alice.id())).isEmpty();
        assertThat(users.findByName("alice")).isEmpty();
        users.save(new User(new UserId("new"), "alice", "")); // the name is free again
    }

    @Test
    void roleAndEmailAreKeptAndUpdated() {
        User root = new User(new UserId("r"), "root", "Root", Role.SUPERADMIN, "Root@Example.ORG");
        User plain = user("plain");
        users.save(root);
        users.save(plain);
        assertThat(users.findById(root.id())).contains(root);
        assertThat(root.email()).isEqualTo("root@example.org");
        assertThat(users.findById(plain.id()).orElseThrow().role()).isEqualTo(Role.USER);
        assertThat(users.findById(plain.id()).orElseThrow().email()).isNull();

        User demoted = root.withRole(Role.ADMIN).withEmail("boss@example.org");
        users.save(demoted);
        assertThat(users.findByName("root")).contains(demoted);
        assertThat(users.findAll()).extracting(User::role).containsExactly(Role.USER, Role.ADMIN);
    }

    @Test
    void findByEmailIgnoresCaseAndSurroundingSpaceAndFindsNothingForMalformedInput() {
        User alice = new User(new UserId("a"), "alice", "", Role.USER, "alice@example.org");
        users.save(alice);
        users.save(user("bob"));
        assertThat(users.findByEmail("ALICE@Example.org ")).contains(alice);
        assertThat(users.findByEmail("bob@example.org")).isEmpty();
        assertThat(users.findByEmail("not an address")).isEmpty();
        assertThat(users.findByEmail("@")).isEmpty();
    }

    @Test
    void emailTakenByAnotherUserIsRefusedButManyUsersMayHaveNone() {
        users.save(new User(new UserId("a"), "alice", "", Role.USER, "shared@example.org"));
        users.save(user("bob"));
        users.save(user("carol"));
        assertThatThrownBy(() -> users.save(new User(new UserId("m"), "mallory", "", Role.USER,
                "SHARED@example.org"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("email");
        assertThat(users.findByName("mallory")).isEmpty();
        assertThat(users.findAll()).hasSize(3);
    }
}
