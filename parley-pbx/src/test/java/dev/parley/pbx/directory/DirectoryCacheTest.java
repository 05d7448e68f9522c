package dev.parley.pbx.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.pbx.directory.memory.InMemoryDeviceRepository;
import dev.parley.pbx.directory.memory.InMemoryExtensionRepository;
import dev.parley.pbx.directory.memory.InMemoryUserRepository;
import dev.parley.pbx.security.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory copy of the directory: it reads its own writes at once, sees another process's writes (a bumped
 * version) after the check interval and not before, and answers known and unknown usernames from the same copy
 * without a look-up per name.
 */
class DirectoryCacheTest {
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryExtensionRepository extensions = new InMemoryExtensionRepository();
    private final CountingDevices devices = new CountingDevices();
    /** Stands in for the database's counter: bumped by hand where another process would have written. */
    private final AtomicLong version = new AtomicLong();
    private final AtomicInteger versionReads = new AtomicInteger();
    private DirectoryCache cache;
    private User alice;
    private Device desk;

    @BeforeEach
    void setUp() {
        alice = new User(UserId.random(), "alice", "Alice");
        users.save(alice);
        extensions.save(new Extension("101", alice.id()));
        desk = Device.create(alice.id(), "alice-desk", "desk");
        devices.save(desk);
        cache = new DirectoryCache(users, extensions, devices, () -> {
            versionReads.incrementAndGet();
            return version.get();
        }, clock, INTERVAL);
    }

    @Test
    void readsComeFromTheCopyAndUnknownNamesCostNoLookUp() {
        assertThat(cache.devices().findBySipUsername("alice-desk")).contains(desk);
        int loads = devices.findAllCalls.get();
        for (int i = 0; i < 100; i++) {
            assertThat(cache.devices().findBySipUsername("alice-desk")).contains(desk);
            assertThat(cache.devices().findBySipUsername("nobody-" + i)).isEmpty();
            assertThat(cache.extensions().find("101")).contains(new Extension("101", alice.id()));
            assertThat(cache.devices().findByOwner(alice.id())).containsExactly(desk);
            assertThat(cache.extensions().findByOwner(alice.id())).hasSize(1);
            assertThat(cache.users().findById(alice.id())).contains(alice);
        }
        assertThat(devices.findAllCalls.get()).isEqualTo(loads);
        assertThat(devices.singleLookups.get()).as("no per-username look-up in the repository").isZero();
        assertThat(versionReads.get()).as("version read once, at the first load").isEqualTo(1);
    }

    @Test
    void ownWritesAreVisibleAtOnce() {
        assertThat(cache.devices().findBySipUsername("alice-soft")).isEmpty();
        Device soft = Device.create(alice.id(), "alice-soft", "");
        cache.devices().save(soft);
        assertThat(cache.devices().findBySipUsername("alice-soft")).contains(soft);
        assertThat(cache.devices().findByOwner(alice.id())).containsExactly(desk, soft);

        assertThat(cache.extensions().add(new Extension("102", alice.id()))).isTrue();
        assertThat(cache.extensions().find("102")).contains(new Extension("102", alice.id()));
        assertThat(cache.extensions().add(new Extension("102", alice.id()))).as("taken").isFalse();

        cache.extensions().delete("101");
        assertThat(cache.extensions().find("101")).isEmpty();
        cache.devices().delete(desk.id());
        assertThat(cache.devices().findBySipUsername("alice-desk")).isEmpty();
        cache.users().save(new User(alice.id(), "alice", "Alice B."));
        assertThat(cache.users().findById(alice.id()).map(User::displayName)).contains("Alice B.");
    }

    @Test
    void aUserDeletedThroughTheCacheGoesWithTheirExtensionsAndDevicesAtOnce() {
        assertThat(cache.devices().findBySipUsername("alice-desk")).contains(desk);
        assertThat(cache.users().deleteWithExtensionsAndDevices(alice.id(), cache.extensions(), cache.devices()))
                .isTrue();
        assertThat(cache.devices().findBySipUsername("alice-desk")).isEmpty();
        assertThat(cache.extensions().find("101")).isEmpty();
        assertThat(cache.users().findById(alice.id())).isEmpty();
        assertThat(devices.findAll()).as("the repositories, not only the copy").isEmpty();
        assertThat(extensions.findAll()).isEmpty();
    }

    @Test
    void anotherProcessesWriteShowsAfterTheIntervalOnceTheVersionChanged() {
        assertThat(cache.devices().findBySipUsername("alice-desk")).contains(desk);
        // the CLI deletes the device and changes the secret of a new one, in the database, not through the cache
        devices.delete(desk.id());
        version.incrementAndGet();
        clock.advance(INTERVAL.minusMillis(1));
        assertThat(cache.devices().findBySipUsername("alice-desk")).as("within the interval").contains(desk);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.devices().findBySipUsername("alice-desk")).as("after the interval").isEmpty();
    }

    @Test
    void anUnchangedVersionKeepsTheCopyWithoutReloading() {
        cache.devices().findAll();
        int loads = devices.findAllCalls.get();
        for (int i = 0; i < 5; i++) {
            clock.advance(INTERVAL);
            cache.devices().findBySipUsername("alice-desk");
        }
        assertThat(devices.findAllCalls.get()).isEqualTo(loads);
        assertThat(versionReads.get()).isEqualTo(6);
    }

    @Test
    void listsAreOrderedAsThePortsSay() {
        Device a = Device.create(alice.id(), "a-phone", "");
        cache.devices().save(a);
        cache.extensions().save(new Extension("100", alice.id()));
        assertThat(cache.devices().findAll()).containsExactly(a, desk);
        assertThat(cache.devices().findByOwner(alice.id())).containsExactly(a, desk);
        assertThat(cache.extensions().findByOwner(alice.id())).extracting(Extension::number)
                .containsExactly("100", "101");
    }

    @Test
    void readInMemory_runsNothingBeforeTheFirstLoad() {
        assertThat(cache.readInMemory(() -> cache.devices().findBySipUsername("alice-desk"))).isNull();
        assertThat(devices.findAllCalls.get()).as("nothing loaded for it").isZero();
        assertThat(versionReads.get()).isZero();
    }

    @Test
    void readInMemory_answersFromTheCopyWithoutReadingTheDatabase() {
        cache.devices().findAll(); // loaded, version read once
        assertThat(cache.readInMemory(() -> cache.devices().findBySipUsername("alice-desk"))).contains(desk);
        assertThat(cache.readInMemory(() -> cache.devices().findBySipUsername("nobody"))).isEmpty();
        assertThat(cache.readInMemory(() -> cache.extensions().find("101").map(Extension::owner)))
                .contains(alice.id());
        assertThat(devices.findAllCalls.get()).isEqualTo(1);
        assertThat(devices.singleLookups.get()).isZero();
        assertThat(versionReads.get()).isEqualTo(1);
    }

    @Test
    void readInMemory_dueForItsCheck_runsNothing_andTheBlockingReadChecks() {
        cache.devices().findAll();
        clock.advance(INTERVAL);
        assertThat(cache.readInMemory(() -> "ran")).as("due: the version must be read first").isNull();
        assertThat(versionReads.get()).as("and not by it").isEqualTo(1);
        cache.devices().findBySipUsername("alice-desk"); // the blocking way checks
        assertThat(versionReads.get()).isEqualTo(2);
        assertThat(cache.readInMemory(() -> "ran")).isEqualTo("ran");
    }

    @Test
    void readInMemory_seesOneCopyThroughout_evenWhenTheIntervalPassesInside() {
        cache.devices().findAll();
        devices.delete(desk.id()); // another process deletes the device
        version.incrementAndGet();
        Optional<Device> seen = cache.readInMemory(() -> {
            clock.advance(INTERVAL.multipliedBy(2));
            return cache.devices().findBySipUsername("alice-desk");
        });
        assertThat(seen).as("the copy the reads began with; no check, no reload inside").contains(desk);
        assertThat(versionReads.get()).isEqualTo(1);
        assertThat(devices.findAllCalls.get()).isEqualTo(1);
    }

    @Test
    void readInMemory_afterALocalWrite_runsNothingUntilReloaded_thenSeesTheWrite() {
        cache.devices().findAll();
        cache.devices().delete(desk.id()); // a device deleted through this process (the API)
        assertThat(cache.readInMemory(() -> "ran")).isNull();
        assertThat(cache.devices().findBySipUsername("alice-desk")).isEmpty(); // the blocking way reloads
        assertThat(cache.readInMemory(() -> cache.devices().findBySipUsername("alice-desk"))).isEmpty();
    }

    @Test
    void readInMemory_anotherProcessesWrite_showsAsSoonAsTheBlockingReadWould() {
        cache.devices().findAll();
        Device changed = new Device(desk.id(), alice.id(), "alice-desk", SipSecret.of("a-new-secret-4711"), "desk");
        devices.save(changed); // the CLI changes the secret, in the database
        version.incrementAndGet();
        clock.advance(INTERVAL.minusMillis(1));
        assertThat(cache.readInMemory(() -> cache.devices().findBySipUsername("alice-desk"))).as("within the interval")
                .contains(desk);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.readInMemory(() -> "ran")).isNull();
        cache.users().findAll(); // any blocking read: version changed, reload
        assertThat(cache.readInMemory(() -> cache.devices().findBySipUsername("alice-desk"))).contains(changed);
    }

    /** Devices in memory, counting how they are read. */
    private static final class CountingDevices implements DeviceRepository {
        final InMemoryDeviceRepository inner = new InMemoryDeviceRepository();
        final AtomicInteger findAllCalls = new AtomicInteger();
        final AtomicInteger singleLookups = new AtomicInteger();

        @Override
        public Optional<Device> findById(DeviceId id) {
            singleLookups.incrementAndGet();
            return inner.findById(id);
        }

        @Override
        public Optional<Device> findBySipUsername(String sipUsername) {
            singleLookups.incrementAndGet();
            return inner.findBySipUsername(sipUsername);
        }

        @Override
        public List<Device> findByOwner(UserId owner) {
            singleLookups.incrementAndGet();
            return inner.findByOwner(owner);
        }

        @Override
        public List<Device> findAll() {
            findAllCalls.incrementAndGet();
            return inner.findAll();
        }

        @Override
        public void save(Device device) {
            inner.save(device);
        }

        @Override
        public boolean delete(DeviceId id) {
            return inner.delete(id);
        }
    }
}
