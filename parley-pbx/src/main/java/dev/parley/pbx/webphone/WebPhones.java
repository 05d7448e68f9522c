package dev.parley.pbx.webphone;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.DeviceRepository;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.pbx.directory.MediaPolicy;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.directory.UserRepository;
import dev.parley.pbx.registrar.Binding;
import dev.parley.pbx.registrar.Registrar;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short-lived SIP credentials for browser phones, one set per web session (issue 6). A signed-in page asks for them
 * instead of making its user type a SIP password; they work as a device of that user until the session ends.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@link #issue}: the same session gets the same credentials back until they expire; a user without an
 *       extension gets none (the phone would have no number to register).</li>
 *   <li>Authorization user {@code web-} + 22 base64url characters (132 random bits, so the name cannot be guessed
 *       either) and a {@link SipSecret#generate generated} password (144 bits): guessing either is hopeless, and the
 *       Digest authenticator's bans still apply.</li>
 *   <li>In memory only: never in the database, never in a log line ({@link SipSecret#toString()} is redacted). A
 *       restart forgets them all; the page asks again.</li>
 *   <li>{@link #devices()} shows them to the PBX as devices of the user, with the strictest media policy among the
 *       user's stored devices ({@code required} if any has it, else {@code preferred}), and
 *       {@link DeviceRepository#webSocketOnly}: the registrar and the INVITE path refuse them (403) on UDP, TCP and
 *       TLS.</li>
 *   <li>{@link #revoke}: when the session ends (sign-out, idle expiry, password change, eviction) the web side calls
 *       it; the credentials stop working at once and every binding made with them is removed
 *       ({@link Registrar#removeBindingsOf}). {@link #revokeExpired} drops those past {@code lifetime}.</li>
 * </ul>
 *
 * <p>Only one node knows a set of credentials: with several nodes on one database, the browser must register on the
 * node that issued them. Thread-safe: lookups read concurrent maps; issue and revoke are serialized.
 */
public final class WebPhones {
    private static final Logger LOG = LoggerFactory.getLogger(WebPhones.class);
    /** How long a set of credentials lives at most, however long its session does. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);
    static final String PREFIX = "web-";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final UserRepository users;
    private final ExtensionRepository extensions;
    private final DeviceRepository stored;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration lifetime;
    private final ConcurrentHashMap<String, WebPhoneCredentials> bySession = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, WebPhoneCredentials> byUsername = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<DeviceId, WebPhoneCredentials> byDevice = new ConcurrentHashMap<>();
    private final Devices devices = new Devices();
    private final Object writes = new Object();
    private volatile Registrar registrar;

    /**
     * @param stored the stored devices (the PBX's view of them, e.g. the directory cache)
     */
    public WebPhones(UserRepository users, ExtensionRepository extensions, DeviceRepository stored, Clock clock,
            SecureRandom random, Duration lifetime) {
        this.users = Objects.requireNonNull(users, "users");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.stored = Objects.requireNonNull(stored, "stored");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (!lifetime.isPositive()) {
            throw new IllegalArgumentException("a lifetime must be positive: " + lifetime);
        }
        this.lifetime = lifetime;
    }

    /** Where bindings are removed on revocation: the PBX's registrar, once it exists. */
    public void attach(Registrar pbxRegistrar) {
        this.registrar = Objects.requireNonNull(pbxRegistrar, "pbxRegistrar");
    }

    /** The stored devices plus the credentials issued here: what the PBX authenticates and routes with. */
    public DeviceRepository devices() {
        return devices;
    }

    /**
     * The credentials of the web session {@code sessionKey} for {@code user}: those already issued to it if still
     * valid, else new ones. Empty when the user has no extension (or no longer exists).
     */
    public Optional<WebPhoneCredentials> issue(String sessionKey, UserId user) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(user, "user");
        synchronized (writes) {
            WebPhoneCredentials held = bySession.get(sessionKey);
            if (held != null && held.device().owner().equals(user) && !held.isExpired(clock.instant())) {
                return Optional.of(held);
            }
            if (held != null) {
                revoke(sessionKey);
            }
            Optional<User> owner = users.findById(user);
            List<Extension> owned = extensions.findByOwner(user);
            if (owner.isEmpty() || owned.isEmpty()) {
                return Optional.empty();
            }
            Device device = new Device(DeviceId.random(), user, newUsername(), SipSecret.generate(random),
                    "browser phone", mediaPolicyOf(user));
            WebPhoneCredentials c = new WebPhoneCredentials(device, owned.getFirst().number(),
                    owner.get().displayName(), sessionKey, clock.instant().plus(lifetime));
            byDevice.put(device.id(), c);
            byUsername.put(device.sipUsername(), c);
            bySession.put(sessionKey, c);
            LOG.debug("browser phone credentials issued to {} for extension {}", owner.get().name(), c.extension());
            return Optional.of(c);
        }
    }

    /**
     * Ends the credentials of the web session {@code sessionKey}, if it has any, and removes every binding made with
     * them. Blocking (the binding repository). True if there were credentials.
     */
    public boolean revoke(String sessionKey) {
        WebPhoneCredentials c;
        synchronized (writes) {
            c = bySession.remove(sessionKey);
            if (c == null) {
                return false;
            }
            byUsername.remove(c.device().sipUsername());
            byDevice.remove(c.device().id());
        }
        Registrar r = registrar;
        int removed = 0;
        if (r != null) {
            Set<String> aors = new LinkedHashSet<>();
            aors.add(c.extension());
            aors.add(c.device().sipUsername());
            extensions.findByOwner(c.device().owner()).forEach(e -> aors.add(e.number()));
            List<Binding> gone = r.removeBindingsOf(c.device().id(), aors);
            removed = gone.size();
        }
        LOG.debug("browser phone credentials of user {} revoked, {} binding(s) removed", c.device().owner(), removed);
        return true;
    }

    /** Revokes the credentials past their lifetime; how many. */
    public int revokeExpired() {
        List<String> expired = new ArrayList<>();
        bySession.forEach((key, c) -> {
            if (c.isExpired(clock.instant())) {
                expired.add(key);
            }
        });
        int n = 0;
        for (String key : expired) {
            n += revoke(key) ? 1 : 0;
        }
        return n;
    }

    /** The sessions that hold credentials now (the web side checks that each is still alive). */
    public Set<String> sessionKeys() {
        return Set.copyOf(bySession.keySet());
    }

    /** How many sets of credentials are held. */
    public int size() {
        return bySession.size();
    }

    private String newUsername() {
        while (true) {
            byte[] b = new byte[17]; // 136 bits, 23 characters; the first 22 are kept: 132 bits
            random.nextBytes(b);
            String name = PREFIX + B64.encodeToString(b).substring(0, 22);
            // a stored device could (absurdly) carry the same name; it would shadow or be shadowed
            if (!byUsername.containsKey(name) && stored.findBySipUsername(name).isEmpty()) {
                return name;
            }
        }
    }

    /** Never weaker than what an admin set for the user's devices; a browser's DTLS-SRTP satisfies either. */
    private MediaPolicy mediaPolicyOf(UserId user) {
        return stored.findByOwner(user).stream().anyMatch(d -> d.mediaPolicy() == MediaPolicy.REQUIRED)
                ? MediaPolicy.REQUIRED : MediaPolicy.PREFERRED;
    }

    private WebPhoneCredentials live(WebPhoneCredentials c) {
        return c == null || c.isExpired(clock.instant()) ? null : c;
    }

    /**
     * The stored devices with the live credentials laid over them. A username lookup probes one more hash map than
     * before, whether the name exists or not, so it still tells nothing by its time. {@link #findAll()} lists the
     * stored devices only: browser phones are not configured devices, and the admin's list should not fill with
     * them. Writes go to the stored devices.
     */
    private final class Devices implements DeviceRepository {
        @Override
        public Optional<Device> findById(DeviceId id) {
            WebPhoneCredentials c = live(byDevice.get(id));
            return c != null ? Optional.of(c.device()) : stored.findById(id);
        }

        @Override
        public Optional<Device> findBySipUsername(String sipUsername) {
            WebPhoneCredentials c = live(byUsername.get(sipUsername));
            return c != null ? Optional.of(c.device()) : stored.findBySipUsername(sipUsername);
        }

        @Override
        public List<Device> findByOwner(UserId owner) {
            List<Device> own = stored.findByOwner(owner);
            List<Device> web = new ArrayList<>();
            byDevice.values().forEach(c -> {
                if (c.device().owner().equals(owner) && live(c) != null) {
                    web.add(c.device());
                }
            });
            if (web.isEmpty()) {
                return own;
            }
            List<Device> all = new ArrayList<>(own);
            all.addAll(web);
            all.sort((a, b) -> a.sipUsername().compareTo(b.sipUsername()));
            return List.copyOf(all);
        }

        @Override
        public List<Device> findAll() {
            return stored.findAll();
        }

        @Override
        public void save(Device device) {
            stored.save(device);
        }

        @Override
        public boolean delete(DeviceId id) {
            return stored.delete(id);
        }

        /**
         * Ours, or one of ours revoked between its authentication and this question (then it is no stored device but
         * carries our prefix): a stored device is never refused here.
         */
        @Override
        public boolean webSocketOnly(Device device) {
            return byDevice.containsKey(device.id())
                    || device.sipUsername().startsWith(PREFIX) && stored.findById(device.id()).isEmpty()
                    || stored.webSocketOnly(device);
        }
    }
}
