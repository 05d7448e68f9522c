package dev.parley.web.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemoryWebSessionRepository repository = new InMemoryWebSessionRepository();
    private final SessionStore store = new SessionStore(repository, Duration.ofMinutes(30), 5, 2, () -> now);
    private final UserId alice = new UserId("alice");

    @Test
    void idsAndTokensAreRandom256BitValuesAndOnlyTheIdsHashIsStored() {
        Session a = store.create(alice);
        Session b = store.create(alice);
        assertThat(a.id()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b.id());
        assertThat(a.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(a.id()).isNotEqualTo(b.csrfToken());
        assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrfToken());
        assertThat(repository.find(a.id())).isEmpty();
        assertThat(repository.find(SessionStore.hash(a.id()))).isPresent();
        // SHA-256 of "abc" (FIPS 180-2 B.1), base64url
        assertThat(SessionStore.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void useKeepsASessionAliveAndIdlenessEndsIt() {
        assertThat(store.touchInterval()).isEqualTo(Duration.ofMinutes(1));
        Session s = store.create(alice);
        now = now.plus(Duration.ofMinutes(29));
        assertThat(store.find(s.id())).isPresent();
        now = now.plus(Duration.ofMinutes(29));
        assertThat(store.find(s.id())).isPresent();
        now = now.plus(Duration.ofMinutes(30));
        assertThat(store.find(s.id())).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void aUseIsWrittenBackAtMostOncePerTouchInterval() {
        Session s = store.create(alice);
        now = now.plusSeconds(59);
        store.find(s.id());
        assertThat(repository.find(SessionStore.hash(s.id())).orElseThrow().lastSeen())
                .isEqualTo(now.minusSeconds(59));
        now = now.plusSeconds(1);
        store.find(s.id());
        assertThat(repository.find(SessionStore.hash(s.id())).orElseThrow().lastSeen()).isEqualTo(now);
    }

    @Test
    void sweepRemovesIdleSessions() {
        store.create(alice);
        now = now.plus(Duration.ofMinutes(31));
        store.sweep();
        assertThat(store.size()).isZero();
    }

    @Test
    void boundedPerUserAndInAllDroppingTheLeastRecentlyUsed() {
        Session a1 = store.create(alice);
        now = now.plus(Duration.ofMinutes(2));
        Session a2 = store.create(alice);
        now = now.plus(Duration.ofMinutes(2));
        store.find(a1.id()); // a1 is now the more recently used
        now = now.plus(Duration.ofMinutes(2));
        Session a3 = store.create(alice);
        assertThat(store.find(a2.id())).isEmpty();
        assertThat(store.find(a1.id())).isPresent();
        now = now.plus(Duration.ofMinutes(2));
        assertThat(store.find(a3.id())).isPresent(); // a1 is now strictly the least recently used
        for (int i = 0; i < 4; i++) {
            now = now.plus(Duration.ofMinutes(2));
            store.create(new UserId("u" + i));
        }
        assertThat(store.size()).isEqualTo(5);
        assertThat(store.find(a1.id())).isEmpty(); // least recently used of all
        assertThat(store.find(a3.id())).isPresent();
    }

    @Test
    void deleteAndDeleteAllOfAndOthersOf() {
        Session a = store.create(alice);
        Session b = store.create(new UserId("bob"));
        Session b2 = store.create(new UserId("bob"));
        assertThat(store.delete(a.id())).isTrue();
        assertThat(store.delete(a.id())).isFalse();
        assertThat(store.delete(null)).isFalse();
        store.deleteOthersOf(new UserId("bob"), b2.id());
        assertThat(store.find(b.id())).isEmpty();
        assertThat(store.find(b2.id())).isPresent();
        store.deleteAllOf(new UserId("bob"));
        assertThat(store.find(b2.id())).isEmpty();
        assertThat(store.find(null)).isEmpty();
        assertThat(store.find("x".repeat(65))).isEmpty();
    }
}
