package dev.parley.store;

import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import java.util.Comparator;
import java.util.List;
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
}
