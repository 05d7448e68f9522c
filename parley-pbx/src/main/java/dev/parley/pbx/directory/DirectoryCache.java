package dev.parley.pbx.directory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The whole directory (users, extensions, devices) held in memory for the call and REGISTER paths, in front of the
 * repositories, which stay the truth. Every request authenticates a device by username, and every call looks up an
 * extension, its owner and the owner's devices: against the database that was five {@code SELECT}s per call.
 *
 * <h2>Freshness</h2>
 * <ul>
 *   <li>A write through {@link #users()}, {@link #extensions()} or {@link #devices()} goes to the repository first
 *       and then drops the copy, so this process reads its own writes at once.</li>
 *   <li>Writes by another process (the {@code parley} CLI on the same SQLite file, another node on PostgreSQL) bump
 *       the {@link DirectoryVersion}. The version is read at most once per {@code checkInterval} (by one caller;
 *       the others go on with the copy they have), and a changed version reloads everything. So a device deleted or
 *       a secret changed from the CLI stops working here within {@code checkInterval} plus one reload.</li>
 *   <li>The version is read <em>before</em> the reload, so a write that lands during a reload leaves a copy tagged
 *       with the older version, which the next check replaces.</li>
 * </ul>
 *
 * <h2>Same time for known and unknown usernames</h2>
 * {@link DeviceRepository#findBySipUsername} must not reveal by its timing whether a username exists. Here both are
 * one hash-map probe in the same copy; no username is ever fetched on its own, so a miss costs what a hit costs.
 *
 * <h2>Reads that must not block</h2>
 * {@link #readInMemory} runs a SIP lane's reads against the copy when there is one and it is not due for its version
 * check (or another caller is checking it), all against that one copy; otherwise it runs nothing and the lane takes
 * the blocking way, whose read does the check or the reload. So a lane never reads the database, and a copy is used
 * no longer than the interval allows, as for every other caller.
 *
 * <p>Secrets are held in clear in the copy, as every {@link Device} already holds them (see the package comment);
 * only ciphertext is in the database. Thread-safe; reads never block on another reader, only the one caller that
 * checks or reloads does.
 */
public final class DirectoryCache implements InMemoryDirectory {
    private final UserRepository userRepository;
    private final ExtensionRepository extensionRepository;
    private final DeviceRepository deviceRepository;
    private final DirectoryVersion version;
    private final Clock clock;
    private final long checkIntervalMillis;
    private final ReentrantLock refresh = new ReentrantLock();
    private final Users users = new Users();
    private final Extensions extensions = new Extensions();
    private final Devices devices = new Devices();
    /** null until the first read, and after a local write. */
    private volatile Snapshot snapshot;
    private volatile long checkedAtMillis;
    /** Counts {@link #invalidate()} calls, so a reload that raced with a local write is not trusted. */
    private final AtomicLong invalidations = new AtomicLong();
    /** The copy {@link #readInMemory}'s reads see, on the thread running them; unset everywhere else. */
    private final ThreadLocal<Snapshot> pinned = new ThreadLocal<>();

    /**
     * @param checkInterval how long a copy is used before the version is read again (a second or less keeps CLI
     *     changes visible within about that)
     */
    public DirectoryCache(UserRepository users, ExtensionRepository extensions, DeviceRepository devices,
            DirectoryVersion version, Clock clock, Duration checkInterval) {
        this.userRepository = Objects.requireNonNull(users, "users");
        this.extensionRepository = Objects.requireNonNull(extensions, "extensions");
        this.deviceRepository = Objects.requireNonNull(devices, "devices");
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("checkInterval must not be negative: " + checkInterval);
        }
        this.checkIntervalMillis = checkInterval.toMillis();
    }

    /** Users, read from the copy. */
    public UserRepository users() {
        return users;
    }

    /** Extensions, read from the copy. */
    public ExtensionRepository extensions() {
        return extensions;
    }

    /** Devices, read from the copy. */
    public DeviceRepository devices() {
        return devices;
    }

    /** Drops the copy: the next read reloads it. */
    public void invalidate() {
        invalidations.incrementAndGet();
        snapshot = null;
    }

    /**
     * Runs {@code reads} against the copy in memory, or returns {@code null} without running them when there is no
     * copy (first read, or dropped by a local write) or it is due for its version check and nobody is checking it.
     * Every read inside sees the same copy and none blocks.
     */
    @Override
    public <T> T readInMemory(Supplier<T> reads) {
        if (pinned.get() != null) {
            return reads.get(); // already inside: the same copy
        }
        Snapshot s = snapshot;
        if (s == null) {
            return null;
        }
        if (clock.millis() - checkedAtMillis >= checkIntervalMillis && !refresh.isLocked()) {
            return null; // due: the blocking way reads the version (and reloads if it changed)
        }
        pinned.set(s);
        try {
            return reads.get();
        } finally {
            pinned.remove();
        }
    }

    private Snapshot current() {
        Snapshot p = pinned.get();
        if (p != null) {
            return p;
        }
        Snapshot s = snapshot;
        long now = clock.millis();
        if (s != null && now - checkedAtMillis < checkIntervalMillis) {
            return s;
        }
        if (s != null && !refresh.tryLock()) {
            return s; // another caller is checking; this copy is at most one interval old
        }
        if (s == null) {
            refresh.lock();
        }
        try {
            s = snapshot;
            now = clock.millis();
            if (s != null && now - checkedAtMillis < checkIntervalMillis) {
                return s;
            }
            long writes = invalidations.get();
            long v = version.current();
            if (s == null || s.version != v) {
                s = Snapshot.load(v, userRepository.findAll(), extensionRepository.findAll(),
                        deviceRepository.findAll());
                snapshot = s;
            }
            // a local write during the reload may be missing from it: let the next read check again
            checkedAtMillis = invalidations.get() == writes ? now : now - checkIntervalMillis;
            return s;
        } finally {
            refresh.unlock();
        }
    }

    /** One consistent-enough copy: everything read after {@code version} was. Immutable. */
    private record Snapshot(long version, Map<UserId, User> usersById, Map<String, User> usersByName,
            List<User> allUsers, Map<String, Extension> extensionsByNumber,
            Map<UserId, List<Extension>> extensionsByOwner, List<Extension> allExtensions,
            Map<DeviceId, Device> devicesById, Map<String, Device> devicesByUsername,
            Map<UserId, List<Device>> devicesByOwner, List<Device> allDevices) {

        static Snapshot load(long version, List<User> users, List<Extension> extensions, List<Device> devices) {
            Map<UserId, User> usersById = new HashMap<>();
            Map<String, User> usersByName = new HashMap<>();
            for (User u : users) {
                usersById.put(u.id(), u);
                usersByName.put(u.name(), u);
            }
            Map<String, Extension> byNumber = new HashMap<>();
            Map<UserId, List<Extension>> extensionsByOwner = new HashMap<>();
            for (Extension e : extensions) { // findAll is ordered by number, so each owner's list is too
                byNumber.put(e.number(), e);
                extensionsByOwner.computeIfAbsent(e.owner(), k -> new ArrayList<>()).add(e);
            }
            Map<DeviceId, Device> byId = new HashMap<>();
            Map<String, Device> byUsername = new HashMap<>();
            Map<UserId, List<Device>> devicesByOwner = new HashMap<>();
            for (Device d : devices) { // ordered by SIP username
                byId.put(d.id(), d);
                byUsername.put(d.sipUsername(), d);
                devicesByOwner.computeIfAbsent(d.owner(), k -> new ArrayList<>()).add(d);
            }
            extensionsByOwner.replaceAll((k, v) -> List.copyOf(v));
            devicesByOwner.replaceAll((k, v) -> List.copyOf(v));
            return new Snapshot(version, Map.copyOf(usersById), Map.copyOf(usersByName),
                    sortedCopy(users, Comparator.comparing(User::name)), Map.copyOf(byNumber),
                    Map.copyOf(extensionsByOwner), sortedCopy(extensions, Comparator.comparing(Extension::number)),
                    Map.copyOf(byId), Map.copyOf(byUsername), Map.copyOf(devicesByOwner),
                    sortedCopy(devices, Comparator.comparing(Device::sipUsername)));
        }

        private static <T> List<T> sortedCopy(List<T> list, Comparator<T> order) {
            List<T> copy = new ArrayList<>(list);
            copy.sort(order);
            return List.copyOf(copy);
        }
    }

    private final class Users implements UserRepository {
        @Override
        public Optional<User> findById(UserId id) {
            return Optional.ofNullable(current().usersById().get(id));
        }

        @Override
        public Optional<User> findByName(String name) {
            return Optional.ofNullable(current().usersByName().get(name));
        }

        @Override
        public List<User> findAll() {
            return current().allUsers();
        }

        @Override
        public void save(User user) {
            try {
                userRepository.save(user);
            } finally {
                invalidate();
            }
        }

        @Override
        public boolean delete(UserId id) {
            try {
                return userRepository.delete(id);
            } finally {
                invalidate();
            }
        }

        @Override
        public boolean deleteWithExtensionsAndDevices(UserId id, ExtensionRepository extensions,
                DeviceRepository devices) {
            try {
                return userRepository.deleteWithExtensionsAndDevices(id, extensionRepository, deviceRepository);
            } finally {
                invalidate();
            }
        }

        @Override
        public void createWithPassword(User user, String phcHash, WebPasswordRepository passwords) {
            try {
                userRepository.createWithPassword(user, phcHash, passwords);
            } finally {
                invalidate();
            }
        }
    }

    private final class Extensions implements ExtensionRepository {
        @Override
        public Optional<Extension> find(String number) {
            return Optional.ofNullable(current().extensionsByNumber().get(number));
        }

        @Override
        public List<Extension> findByOwner(UserId owner) {
            return current().extensionsByOwner().getOrDefault(owner, List.of());
        }

        @Override
        public List<Extension> findAll() {
            return current().allExtensions();
        }

        @Override
        public void save(Extension extension) {
            try {
                extensionRepository.save(extension);
            } finally {
                invalidate();
            }
        }

        @Override
        public boolean add(Extension extension) {
            try {
                return extensionRepository.add(extension);
            } finally {
                invalidate();
            }
        }

        @Override
        public boolean delete(String number) {
            try {
                return extensionRepository.delete(number);
            } finally {
                invalidate();
            }
        }
    }

    private final class Devices implements DeviceRepository {
        @Override
        public Optional<Device> findById(DeviceId id) {
            return Optional.ofNullable(current().devicesById().get(id));
        }

        @Override
        public Optional<Device> findBySipUsername(String sipUsername) {
            return Optional.ofNullable(current().devicesByUsername().get(sipUsername));
        }

        @Override
        public List<Device> findByOwner(UserId owner) {
            return current().devicesByOwner().getOrDefault(owner, List.of());
        }

        @Override
        public List<Device> findAll() {
            return current().allDevices();
        }

        @Override
        public void save(Device device) {
            try {
                deviceRepository.save(device);
            } finally {
                invalidate();
            }
        }

        @Override
        public boolean delete(DeviceId id) {
            try {
                return deviceRepository.delete(id);
            } finally {
                invalidate();
            }
        }
    }
}
