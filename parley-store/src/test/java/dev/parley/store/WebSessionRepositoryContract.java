package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.WebSessionRepository;
import dev.parley.pbx.account.WebSessionRepository.Stored;
import dev.parley.pbx.directory.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WebSessionRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class WebSessionRepositoryContract {
    private WebSessionRepository sessions;
    private User alice;
    private User bob;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        Repositories r = repositories();
        sessions = r.webSessions();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    private Stored session(String idHash, User u, long lastSeenSecond) {
        return new Stored(idHash, u.id(), "csrf-" + idHash, T0, T0.plusSeconds(lastSeenSecond));
    }

    @Test
    void insertedSessionIsFoundExactlyAndOnlyByItsHash() {
        Stored s = session("Ab-_01", alice, 5);
        sessions.insert(s);
        assertThat(sessions.find("Ab-_01")).contains(s);
        assertThat(sessions.find("ab-_01")).isEmpty();
        assertThat(sessions.find("nope")).isEmpty();
        assertThat(sessions.count()).isEqualTo(1);
        assertThat(s.toString()).doesNotContain("Ab-_01").doesNotContain("csrf-");
    }

    @Test
    void aSecondSessionWithTheSameHashIsRefused() {
        sessions.insert(session("h", alice, 0));
        assertThatThrownBy(() -> sessions.insert(session("h", bob, 0))).isInstanceOf(IllegalStateException.class);
        assertThat(sessions.find("h").orElseThrow().user()).isEqualTo(alice.id());
    }

    @Test
    void touchMovesLastSeenOnly() {
        sessions.insert(session("h", alice, 0));
        sessions.touch("h", T0.plusSeconds(90));
        sessions.touch("gone", T0.plusSeconds(90));
        assertThat(sessions.find("h")).contains(new Stored("h", alice.id(), "csrf-h", T0, T0.plusSeconds(90)));
        assertThat(sessions.count()).isEqualTo(1);
    }

    @Test
    void deleteOnceAndDeleteAllOfAUserButOne() {
        sessions.insert(session("a1", alice, 1));
        sessions.insert(session("a2", alice, 2));
        sessions.insert(session("a3", alice, 3));
        sessions.insert(session("b1", bob, 4));
        assertThat(sessions.delete("a1")).isTrue();
        assertThat(sessions.delete("a1")).isFalse();
        sessions.deleteAllOf(alice.id(), "a3");
        assertThat(sessions.findByUser(alice.id())).extracting(Stored::idHash).containsExactly("a3");
        sessions.deleteAllOf(alice.id(), null);
        assertThat(sessions.findByUser(alice.id())).isEmpty();
        assertThat(sessions.find("b1")).isPresent();
    }

    @Test
    void findByUserIsLeastRecentlySeenFirst() {
        sessions.insert(session("x", alice, 30));
        sessions.insert(session("y", alice, 10));
        sessions.insert(session("z", alice, 20));
        sessions.insert(session("w", bob, 0));
        assertThat(sessions.findByUser(alice.id())).extracting(Stored::idHash).containsExactly("y", "z", "x");
    }

    @Test
    void idleSessionsAreRemovedUpToTheCutoffInclusive() {
        sessions.insert(session("old", alice, 10));
        sessions.insert(session("edge", alice, 20));
        sessions.insert(session("new", bob, 21));
        assertThat(sessions.deleteLastSeenUpTo(T0.plusSeconds(20))).isEqualTo(2);
        assertThat(sessions.find("new")).isPresent();
        assertThat(sessions.count()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlySeenOfAllCanBeDropped() {
        assertThat(sessions.deleteLeastRecentlySeen()).isFalse();
        sessions.insert(session("b", bob, 7));
        sessions.insert(session("a", alice, 3));
        sessions.insert(session("c", alice, 9));
        assertThat(sessions.deleteLeastRecentlySeen()).isTrue();
        assertThat(sessions.find("a")).isEmpty();
        assertThat(sessions.count()).isEqualTo(2);
    }
}
