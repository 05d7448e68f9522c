package dev.parley.pbx.registrar;

import dev.parley.common.Ascii;
import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.ExtensionRepository;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.HeaderName;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.sipstack.flow.Flow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registrar of RFC 3261 §10.3 for requests that have already been authenticated: which device sent them is
 * known, and this class decides what the bindings become and what to answer.
 *
 * <h2>Steps, as numbered in RFC 3261 §10.3</h2>
 * <ol>
 *   <li value="2">{@code Require} with an option we do not support: {@code 420 Bad Extension} listing it in
 *       {@code Unsupported} (§8.2.2.3). We support {@code path}.</li>
 *   <li value="3">The address of record is the To URI's user part; a To without one, or in a domain the policy
 *       does not serve: {@code 404}.</li>
 *   <li value="6">Authorization: a device may register the AOR named by its own SIP username or by an extension its
 *       owner has; any other: {@code 403}. Then the Contacts: {@code *} only alone and with {@code Expires: 0},
 *       else {@code 400}. Each contact's interval is its {@code expires} parameter, else the Expires header, else
 *       the default; under the minimum (but not zero): {@code 423 Interval Too Brief} with {@code Min-Expires};
 *       over the maximum: shortened to it.</li>
 *   <li value="7">Each contact is matched to the existing bindings by URI comparison (§19.1.4). A binding with the
 *       same Call-ID and a CSeq at or above the request's means the request is old or out of order: the whole
 *       request fails with {@code 500} and nothing changes. Otherwise expiry 0 removes the binding and anything
 *       else adds or updates it. All changes are written together or not at all.</li>
 *   <li value="8">{@code 200 OK} listing every current binding with its remaining {@code expires}, a {@code Date},
 *       and the request's {@code Path} when it said {@code Supported: path} (RFC 3327 §5.3).</li>
 * </ol>
 *
 * <p>Past {@link RegistrarPolicy#maxContacts()}, the bindings this request did not write are evicted soonest-expiry
 * first; if the request alone brings more contacts than the cap it is refused with {@code 403}.
 *
 * <p>Each binding also records where the REGISTER came from ({@link ReceivedFrom}), so a UDP phone behind NAT is
 * reached at that address; the Contact URI itself is stored as given. A binding made over a connection (TCP, TLS,
 * WebSocket) lives only as long as that connection: {@link #flowClosed} removes it.
 *
 * <p>Thread-safe: registrations of one AOR are serialized by a striped lock; the repository may block.
 */
public final class Registrar {
    /** Option tags this registrar supports (RFC 3261 §8.2.2.3 {@code Require} check). */
    public static final Set<String> SUPPORTED = Set.of("path");

    private static final DateTimeFormatter SIP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final int STRIPES = 64;

    private final RegistrarPolicy policy;
    private final BindingRepository bindings;
    private final ExtensionRepository extensions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /**
     * The AORs registered over each open connection (TCP, TLS, WebSocket), by {@link Flow#id()}: what to look at
     * when the connection closes. It may name an AOR whose binding has since moved to another flow; the removal
     * compares flow ids binding by binding.
     */
    private final ConcurrentHashMap<String, Set<String>> aorsByFlow = new ConcurrentHashMap<>();

    public Registrar(RegistrarPolicy policy, BindingRepository bindings, ExtensionRepository extensions, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.bindings = Objects.requireNonNull(bindings, "bindings");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public RegistrarPolicy policy() {
        return policy;
    }

    /**
     * Processes a REGISTER that {@code device} authenticated, received on {@code source}.
     *
     * @throws dev.parley.sip.text.SipSyntaxException if a lazily parsed header (Expires, Require, Supported, Path)
     *     is malformed; the caller answers 400
     */
    public SipResponse register(SipRequest request, Device device, Flow source) {
        if (!SipMethod.REGISTER.equals(request.method())) {
            throw new IllegalArgumentException("not a REGISTER: " + request.method());
        }
        // step 2
        List<String> unsupported = new ArrayList<>();
        for (String tag : request.require()) {
            if (!SUPPORTED.contains(Ascii.toLowerCase(tag))) {
                unsupported.add(tag);
            }
        }
        if (!unsupported.isEmpty()) {
            SipResponse.Builder b = answer(request, 420);
            unsupported.forEach(t -> b.add(HeaderType.UNSUPPORTED, t));
            return b.build();
        }
        // step 3
        if (!(request.to().uri() instanceof SipUri toUri) || toUri.user() == null || toUri.user().isEmpty()
                || !policy.acceptsDomain(toUri.host().text())) {
            return answer(request, 404).build();
        }
        String aor = toUri.user();
        // step 6: may this device change this AOR's bindings?
        if (!mayRegister(device, aor)) {
            return answer(request, 403).build();
        }
        List<Address> contacts = request.contacts();
        OptionalLong headerExpires = request.expires();
        boolean wildcard = contacts.stream().anyMatch(Address::isWildcard);
        if (wildcard && (contacts.size() != 1 || headerExpires.isEmpty() || headerExpires.getAsLong() != 0)) {
            return answer(request, 400).build(); // "*" only alone and with Expires: 0
        }
        List<Requested> requested = new ArrayList<>(contacts.size());
        boolean tooBrief = false;
        if (!wildcard) {
            for (Address c : contacts) {
                long expires;
                String param = c.parameters().value("expires");
                if (param != null) {
                    expires = parseDeltaSeconds(param);
                    if (expires < 0) {
                        return answer(request, 400).build();
                    }
                } else {
                    expires = headerExpires.orElse(policy.defaultExpires());
                }
                tooBrief |= expires > 0 && expires < policy.minExpires();
                requested.add(new Requested(c, Math.min(expires, policy.maxExpires())));
            }
        }
        if (tooBrief) {
            return answer(request, 423).set(HeaderType.MIN_EXPIRES, policy.minExpires()).build();
        }
        boolean supportsPath = request.supported().stream().anyMatch(t -> Ascii.equalsIgnoreCase(t, "path"));
        List<Address> path = request.paths();

        ReentrantLock lock = locks[Math.floorMod(aor.hashCode(), STRIPES)];
        lock.lock();
        try {
            Instant now = clock.instant();
            Update update = apply(aor, request, device, source, wildcard, requested, path, now);
            if (update.status != 200) {
                return answer(request, update.status).build();
            }
            if (update.changed) {
                bindings.replace(aor, update.current);
            }
            if (source.isReliable() && !update.current.isEmpty()) {
                aorsByFlow.computeIfAbsent(source.id(), k -> ConcurrentHashMap.newKeySet()).add(aor);
            }
            SipResponse.Builder ok = answer(request, 200);
            for (Binding b : sorted(update.current)) {
                ok.contact(b.contact().withParameter("expires", Long.toString(b.remainingSeconds(now))));
            }
            ok.set(HeaderName.DATE, SIP_DATE.format(now));
            if (supportsPath) {
                path.forEach(p -> ok.add(HeaderType.PATH, p)); // RFC 3327 §5.3: echo only to a UA that supports it
            }
            return ok.build();
        } finally {
            lock.unlock();
            if (source.isReliable() && !source.isOpen()) {
                // the connection closed while this REGISTER was being handled: its close may have come and gone
                flowClosed(source);
            }
        }
    }

    /**
     * Removes the bindings registered over a connection that closed, from the repository too, and returns them.
     * A contact reached over a connection cannot be reached once it is gone: Parley cannot connect to a WebSocket
     * client (RFC 7118 §5), and a TCP/TLS phone's source port is not where it listens, so keeping the binding
     * until it expires would only make calls to it wait and fail (RFC 5626 §5.3 ties a binding to its flow).
     * Datagram flows never close. Blocking; safe to call more than once.
     */
    public List<Binding> flowClosed(Flow flow) {
        Set<String> aors = aorsByFlow.remove(flow.id());
        if (aors == null) {
            return List.of();
        }
        List<Binding> removed = new ArrayList<>();
        for (String aor : aors) {
            ReentrantLock lock = locks[Math.floorMod(aor.hashCode(), STRIPES)];
            lock.lock();
            try {
                List<Binding> stored = bindings.find(aor);
                List<Binding> kept = new ArrayList<>(stored.size());
                for (Binding b : stored) {
                    (b.receivedFrom().flowId().equals(flow.id()) ? removed : kept).add(b);
                }
                if (kept.size() != stored.size()) {
                    bindings.replace(aor, kept);
                }
            } finally {
                lock.unlock();
            }
        }
        return removed;
    }

    /**
     * Removes, from the repository too, every binding that {@code device} made under any of {@code aors}, and returns
     * them: its credentials were revoked (a browser phone's web session ended), so its contacts must not be rung any
     * more. Blocking; safe to call more than once.
     */
    public List<Binding> removeBindingsOf(DeviceId device, Collection<String> aors) {
        List<Binding> removed = new ArrayList<>();
        for (String aor : Set.copyOf(aors)) {
            ReentrantLock lock = locks[Math.floorMod(aor.hashCode(), STRIPES)];
            lock.lock();
            try {
                List<Binding> stored = bindings.find(aor);
                List<Binding> kept = new ArrayList<>(stored.size());
                for (Binding b : stored) {
                    (b.deviceId().equals(device) ? removed : kept).add(b);
                }
                if (kept.size() != stored.size()) {
                    bindings.replace(aor, kept);
                }
            } finally {
                lock.unlock();
            }
        }
        return removed;
    }

    /** The unexpired bindings of {@code aor}, highest {@code q} first, then most recently refreshed. */
    public List<Binding> lookup(String aor) {
        Instant now = clock.instant();
        return sorted(bindings.find(aor).stream().filter(b -> !b.isExpired(now)).toList());
    }

    /**
     * What {@link #lookup} returns, if the bindings of {@code aor} are in memory
     * ({@link BindingRepository#findInMemory}); otherwise {@code null}. For a SIP lane, which must not block.
     */
    public List<Binding> lookupInMemory(String aor) {
        List<Binding> found = bindings.findInMemory(aor);
        if (found == null) {
            return null;
        }
        Instant now = clock.instant();
        return sorted(found.stream().filter(b -> !b.isExpired(now)).toList());
    }

    /** Removes every expired binding and returns them. The server calls this periodically (every few seconds). */
    public List<Binding> purgeExpired() {
        return bindings.deleteExpired(clock.instant());
    }

    private record Requested(Address contact, long expires) {
    }

    private record Update(int status, List<Binding> current, boolean changed) {
        static Update failed(int status) {
            return new Update(status, List.of(), false);
        }
    }

    /** Steps 6–7 and the cap, on a copy; nothing is written here. */
    private Update apply(String aor, SipRequest request, Device device, Flow source, boolean wildcard,
            List<Requested> requested, List<Address> path, Instant now) {
        List<Binding> stored = bindings.find(aor);
        List<Binding> current = new ArrayList<>(stored.size() + requested.size());
        for (Binding b : stored) {
            if (!b.isExpired(now)) {
                current.add(b);
            }
        }
        boolean changed = current.size() != stored.size(); // expired ones to drop
        String callId = request.callId();
        long cseq = request.cseq().sequence();
        if (wildcard) {
            for (Binding b : current) {
                if (b.callId().equals(callId) && cseq <= b.cseq()) {
                    return Update.failed(500); // §10.3 step 6: out of order for this binding, abort
                }
            }
            return new Update(200, List.of(), changed || !current.isEmpty());
        }
        Set<Binding> written = Collections.newSetFromMap(new IdentityHashMap<>());
        ReceivedFrom from = ReceivedFrom.of(source);
        String userAgent = request.userAgent().orElse(null);
        for (Requested r : requested) {
            int i = indexOf(current, r.contact());
            if (i >= 0) {
                Binding existing = current.get(i);
                // §10.3 step 7: same Call-ID and not a higher CSeq means an old or reordered request
                if (!written.contains(existing) && existing.callId().equals(callId) && cseq <= existing.cseq()) {
                    return Update.failed(500);
                }
                if (r.expires() == 0) {
                    current.remove(i);
                    written.remove(existing);
                } else {
                    Binding updated = new Binding(aor, r.contact(), callId, cseq, now.plusSeconds(r.expires()), now,
                            path, from, device.id(), userAgent);
                    current.set(i, updated);
                    written.remove(existing);
                    written.add(updated);
                }
                changed = true;
            } else if (r.expires() > 0) {
                Binding added = new Binding(aor, r.contact(), callId, cseq, now.plusSeconds(r.expires()), now, path,
                        from, device.id(), userAgent);
                current.add(added);
                written.add(added);
                changed = true;
            }
        }
        if (current.size() > policy.maxContacts()) {
            if (written.size() > policy.maxContacts()) {
                return Update.failed(403);
            }
            // evict the bindings this request did not write, soonest to expire first
            List<Binding> others = new ArrayList<>(current.stream().filter(b -> !written.contains(b)).toList());
            others.sort(Comparator.comparing(Binding::expiresAt));
            int excess = current.size() - policy.maxContacts();
            for (int k = 0; k < excess; k++) {
                Binding victim = others.get(k);
                current.removeIf(b -> b == victim);
            }
        }
        return new Update(200, List.copyOf(current), changed);
    }

    private boolean mayRegister(Device device, String aor) {
        if (aor.equals(device.sipUsername())) {
            return true;
        }
        return extensions.find(aor).map(e -> e.owner().equals(device.owner())).orElse(false);
    }

    private static int indexOf(List<Binding> list, Address contact) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).contact().uri().equivalentTo(contact.uri())) {
                return i;
            }
        }
        return -1;
    }

    private static List<Binding> sorted(List<Binding> list) {
        List<Binding> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingDouble(Binding::q).reversed()
                .thenComparing(Binding::updatedAt, Comparator.reverseOrder()));
        return copy;
    }

    /** delta-seconds (RFC 3261 §25.1); values past 2^32-1 read as that; -1 if not digits. */
    static long parseDeltaSeconds(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = Math.min(v * 10 + (c - '0'), HeaderType.MAX_UINT32);
        }
        return v;
    }

    /** A response to {@code request} with a To tag (RFC 3261 §8.2.6.2). */
    private SipResponse.Builder answer(SipRequest request, int status) {
        SipResponse.Builder b = SipResponse.to(request, status);
        Address to = request.to();
        if (to.tag() == null) {
            byte[] tag = new byte[8];
            random.nextBytes(tag);
            b.to(to.withTag(HEX.formatHex(tag)));
        }
        return b;
    }
}
