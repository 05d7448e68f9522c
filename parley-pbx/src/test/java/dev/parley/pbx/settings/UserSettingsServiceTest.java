package dev.parley.pbx.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.settings.memory.InMemoryUserSettingsRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UserSettingsServiceTest {
    private static final UserId ALICE = new UserId("alice");
    private static final UserSettings DND = new UserSettings(true, true, false, UserSettings.Devices.NONE);

    /** Counts reads, and lets a test change a row behind the service's back (another node). */
    private static final class CountingRepository implements UserSettingsRepository {
        final InMemoryUserSettingsRepository inner = new InMemoryUserSettingsRepository();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<UserSettings> find(UserId user) {
            reads.incrementAndGet();
            return inner.find(user);
        }

        @Override
        public void save(UserId user, UserSettings settings) {
            inner.save(user, settings);
        }
    }

    private Instant now = Instant.parse("2026-12-06T05:00:00Z");
    private final InstantSource clock = () -> now;

    @Test
    void defaultsUntilSavedAndCachedBetweenReads() {
        CountingRepository repo = new CountingRepository();
        UserSettingsService service = new UserSettingsService(repo, clock, Duration.ofSeconds(5));
        assertThat(service.of(ALICE)).isEqualTo(UserSettings.DEFAULTS);
        assertThat(service.of(ALICE)).isEqualTo(UserSettings.DEFAULTS);
        assertThat(repo.reads).hasValue(1);
    }

    /** A lane asks cachedOf: it never reads the repository, and answers only what {@code of} would from its cache. */
    @Test
    void cachedOf_answersOnlyAFreshCachedEntry_andNeverReads() {
        CountingRepository repo = new CountingRepository();
        UserSettingsService service = new UserSettingsService(repo, clock, Duration.ofSeconds(5));
        assertThat(service.cachedOf(ALICE)).as("never read").isNull();
        assertThat(repo.reads).hasValue(0);
        service.of(ALICE);
        assertThat(service.cachedOf(ALICE)).isEqualTo(UserSettings.DEFAULTS);
        repo.inner.save(ALICE, DND); // another node changes it
        now = now.plusSeconds(5);
        assertThat(service.cachedOf(ALICE)).as("expired").isNull();
        assertThat(repo.reads).hasValue(1);
        assertThat(service.of(ALICE)).isEqualTo(DND);
        service.update(ALICE, UserSettings.DEFAULTS);
        assertThat(service.cachedOf(ALICE)).as("an update is cached at once").isEqualTo(UserSettings.DEFAULTS);
        service.invalidate(ALICE);
        assertThat(service.cachedOf(ALICE)).isNull();
    }

    @Test
    void anUpdateIsSeenAtOnceWithoutAReadAndListenersAreTold() {
        CountingRepository repo = new CountingRepository();
        UserSettingsService service = new UserSettingsService(repo, clock, Duration.ofSeconds(5));
        service.of(ALICE);
        List<String> told = new ArrayList<>();
        service.addListener((u, s) -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        service.addListener((u, s) -> told.add(u + " " + s.doNotDisturb()));
        assertThat(service.update(ALICE, DND)).isEqualTo(DND);
        assertThat(service.of(ALICE)).isEqualTo(DND);
        assertThat(repo.reads).hasValue(1);
        assertThat(repo.inner.find(ALICE)).contains(DND);
        assertThat(told).containsExactly("alice true");
    }

    @Test
    void anotherNodesWriteIsSeenOnceTheEntryIsOlderThanItsLifetime() {
        CountingRepository repo = new CountingRepository();
        UserSettingsService service = new UserSettingsService(repo, clock, Duration.ofSeconds(5));
        service.of(ALICE);
        repo.inner.save(ALICE, DND);
        now = now.plusSeconds(4);
        assertThat(service.of(ALICE)).isEqualTo(UserSettings.DEFAULTS);
        now = now.plusSeconds(1);
        assertThat(service.of(ALICE)).isEqualTo(DND);
        assertThat(repo.reads).hasValue(2);
    }
}
