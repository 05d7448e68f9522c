package dev.parley.web.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.account.memory.InMemoryWebSessionRepository;
import dev.parley.pbx.directory.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way a session ends reaches the listeners, by the session's key. */
class SessionStoreListenerTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemoryWebSessionRepository repository = new InMemoryWebSessionRepository();
    private final SessionStore store = new SessionStore(repository, Duration.ofMinutes(30), 3, 2, () -> now);
    private final UserId alice = new UserId("alice");
    private final List<String> ended = new ArrayList<>();
    private final Set<String> held = new HashSet<>();

    SessionStoreListenerTest() {
        store.addListener(new SessionStore.Listener() {
            @Override
            public void onSessionEnded(String sessionKey) {
                ended.add(sessionKey);
                held.remove(sessionKey);
            }

            @Override
            public Set<String> sessionsHeld() {
                return Set.copyOf(held);
            }
        });
    }

    private Session hold(Session s) {
        held.add(SessionStore.keyOf(s));
        return s;
    }

    @Test
    void theKeyIsTheStoredHashNotTheId() {
        Session s = store.create(alice);
        assertThat(SessionStore.keyOf(s)).isEqualTo(SessionStore.hash(s.id())).isNotEqualTo(s.id());
    }

    @Test
    void signOutIsHeardOnce() {
        Session s = store.create(alice);
        assertThat(store.delete(s.id())).isTrue();
        assertThat(store.delete(s.id())).isFalse();
        assertThat(ended).containsExactly(SessionStore.keyOf(s));
    }

    @Test
    void idleExpiryIsHeardWhenTheSessionIsLookedUpOrSwept() {
        Session looked = hold(store.create(alice));
        Session swept = hold(store.create(new UserId("bob")));
        now = now.plus(Duration.ofMinutes(31));
        assertThat(store.find(looked.id())).isEmpty();
        assertThat(ended).containsExactly(SessionStore.keyOf(looked));
        store.sweep();
        assertThat(ended).containsExactly(SessionStore.keyOf(looked), SessionStore.keyOf(swept));
        store.sweep();
        assertThat(ended).hasSize(2);
    }

    @Test
    void aPasswordChangeEndsTheOthersOnly() {
        Session kept = store.create(alice);
        Session other = store.create(alice);
        Session bobs = store.create(new UserId("bob"));
        store.deleteOthersOf(alice, kept.id());
        assertThat(ended).containsExactly(SessionStore.keyOf(other));
        store.deleteAllOf(alice);
        assertThat(ended).containsExactly(SessionStore.keyOf(other), SessionStore.keyOf(kept));
        assertThat(store.find(bobs.id())).isPresent();
    }

    @Test
    void aPerUserEvictionIsHeardByName() {
        Session first = store.create(alice);
        now = now.plusSeconds(1);
        store.create(alice);
        now = now.plusSeconds(1);
        store.create(alice); // at most 2 per user: the least recently used goes
        assertThat(ended).containsExactly(SessionStore.keyOf(first));
    }

    @Test
    void theGlobalEvictionIsFoundByTheSweep() {
        Session bobs = hold(store.create(new UserId("bob")));
        for (String u : List.of("carol", "dave", "erin")) {
            now = now.plusSeconds(1);
            store.create(new UserId(u)); // 3 in all: bob's, the least recently used, goes unnamed
        }
        assertThat(store.find(bobs.id())).isEmpty();
        store.sweep();
        assertThat(ended).containsExactly(SessionStore.keyOf(bobs));
    }

    @Test
    void aSessionEndedElsewhereIsFoundByTheSweep() {
        Session s = hold(store.create(alice));
        repository.delete(SessionStore.keyOf(s)); // another node signed it out
        store.sweep();
        assertThat(ended).containsExactly(SessionStore.keyOf(s));
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersOrTheSignOut() {
        store.addListener(key -> {
            throw new IllegalStateException("boom");
        });
        List<String> second = new ArrayList<>();
        store.addListener(second::add);
        Session s = store.create(alice);
        assertThat(store.delete(s.id())).isTrue();
        assertThat(second).containsExactly(SessionStore.keyOf(s));
    }
}
