package dev.parley.store;

import static dev.parley.store.Fixtures.T0;
import static dev.parley.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.account.ApiTokenRepository;
import dev.parley.pbx.account.ApiTokenRepository.Stored;
import dev.parley.pbx.directory.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ApiTokenRepository} does: in memory, on SQLite, on PostgreSQL. */
abstract class ApiTokenRepositoryContract {
    private ApiTokenRepository tokens;
    private User alice;
    private User bob;

    protected abstract Repositories repositories();

    @BeforeEach
    void setUp() {
        Repositories r = repositories();
        tokens = r.apiTokens();
        alice = user("alice");
        bob = user("bob");
        r.users().save(alice);
        r.users().save(bob);
    }

    private Stored token(String id, User u, long createdSecond) {
        return new Stored(id, "hash-" + id, u.id(), "name " + id, T0.plusSeconds(createdSecond), null, null);
    }

    @Test
    void insertedTokenIsFoundExactlyAndOnlyByItsHashWithEveryField() {
        Stored t = new Stored("Id-_1", "Hash-_1", alice.id(), "CI deploy ✓", T0, T0.plusSeconds(86_400),
                T0.plusSeconds(60));
        tokens.insert(t);
        assertThat(tokens.findByHash("Hash-_1")).contains(t);
        assertThat(tokens.findByHash("hash-_1")).isEmpty();
        assertThat(tokens.findByHash("Id-_1")).isEmpty();
        assertThat(t.toString()).doesNotContain("Hash-_1");
    }

    @Test
    void nullExpiryAndLastUseRoundTrip() {
        tokens.insert(token("a", alice, 0));
        Stored back = tokens.findByHash("hash-a").orElseThrow();
        assertThat(back.expires()).isNull();
        assertThat(back.lastUsed()).isNull();
        assertThat(back.expiredAt(T0.plusSeconds(1_000_000_000))).isFalse();
    }

    @Test
    void aSecondTokenWithTheSameIdOrHashIsRefused() {
        tokens.insert(token("a", alice, 0));
        assertThatThrownBy(() -> tokens.insert(new Stored("a", "other", bob.id(), "n", T0, null, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tokens.insert(new Stored("b", "hash-a", bob.id(), "n", T0, null, null)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(tokens.findByUser(bob.id())).isEmpty();
    }

    @Test
    void findByUserIsOldestFirstAndOnlyTheirs() {
        tokens.insert(token("late", alice, 30));
        tokens.insert(token("early", alice, 10));
        tokens.insert(token("bobs", bob, 20));
        assertThat(tokens.findByUser(alice.id())).extracting(Stored::id).containsExactly("early", "late");
    }

    @Test
    void touchSetsLastUsedOnly() {
        tokens.insert(token("a", alice, 0));
        tokens.touch("a", T0.plusSeconds(90));
        tokens.touch("gone", T0.plusSeconds(90));
        assertThat(tokens.findByHash("hash-a")).contains(new Stored("a", "hash-a", alice.id(), "name a", T0, null,
                T0.plusSeconds(90)));
    }

    @Test
    void onlyTheOwnerCanDeleteAToken() {
        tokens.insert(token("a", alice, 0));
        assertThat(tokens.delete(bob.id(), "a")).isFalse();
        assertThat(tokens.findByHash("hash-a")).isPresent();
        assertThat(tokens.delete(alice.id(), "a")).isTrue();
        assertThat(tokens.delete(alice.id(), "a")).isFalse();
        assertThat(tokens.findByHash("hash-a")).isEmpty();
    }
}
