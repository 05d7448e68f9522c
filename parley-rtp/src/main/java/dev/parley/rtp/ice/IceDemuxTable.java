package dev.parley.rtp.ice;

import dev.parley.rtp.PacketKind;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which endpoint a datagram on a shared UDP port belongs to, when many browsers use one port (as Parley offers a
 * single ICE candidate for many calls). A pure data structure: one table per local socket, so the local half of
 * the 5-tuple and the protocol (UDP) are fixed and the key is the remote address {@code A} alone.
 *
 * <ul>
 *   <li>A STUN message with a USERNAME goes to the endpoint whose local ufrag is the part before ':'
 *       (RFC 8445 §7.3: the first fragment is the receiver's). This is looked up <em>before</em> integrity is
 *       checked, which is the endpoint agent's job; the table never trusts a source for STUN.</li>
 *   <li>Anything else (DTLS, RTP, RTCP, STUN without USERNAME such as Binding indications) goes by its source
 *       address to the endpoint that {@link #admit admitted} it: the media plane calls {@code admit} on
 *       {@link IceLiteAgent.Listener#onPairValidated}, i.e. only after a check from that address authenticated
 *       (RFC 8445 §12.1: media may come on any valid pair; Chromium's DTLS ClientHello arrives before its
 *       nominating check). {@link #select} marks the nominated one, which is never evicted; each endpoint keeps
 *       at most {@code maxAddressesPerEndpoint} addresses, the oldest unselected one going first.</li>
 *   <li>Everything else (unknown ufrag, unselected source, ZRTP, TURN channel data, unknown first octets) has
 *       no endpoint: {@code route} returns null and the datagram is dropped.</li>
 * </ul>
 *
 * <p>It lives in parley-rtp beside the agent because the routing rule is protocol knowledge (RFC 7983 first octet,
 * STUN USERNAME) that wants the STUN vectors and fuzzing of this module, and it stays free of sockets: the address
 * type {@code A} is generic, so parley-media keys it by the {@code InetSocketAddress} Netty already gives it for
 * each datagram (no conversion per packet) while tests use {@code TransportAddress}. Lookups allocate nothing.
 * Not thread-safe: one table per socket, used on that socket's event loop.
 *
 * @param <A> remote address type, with value equality
 * @param <T> endpoint type
 */
public final class IceDemuxTable<A, T> {
    private final Map<Ufrag, T> byUfrag = new HashMap<>();
    private final Map<T, Ufrag> ufragOf = new HashMap<>();
    private final Map<A, T> byRemote = new HashMap<>();
    private final Map<T, Routes<A>> routesOf = new HashMap<>();
    private final StunMessage stun = new StunMessage();
    private final Ufrag probe = new Ufrag();
    private final int maxAddressesPerEndpoint;

    /** One endpoint's admitted addresses, oldest first, and the selected one among them. */
    private static final class Routes<A> {
        final ArrayDeque<A> admitted = new ArrayDeque<>();
        A selected;
    }

    /** A table that keeps up to 8 addresses per endpoint (a browser rarely validates more pairs on one port). */
    public IceDemuxTable() {
        this(8);
    }

    public IceDemuxTable(int maxAddressesPerEndpoint) {
        if (maxAddressesPerEndpoint < 2) {
            throw new IllegalArgumentException("maxAddressesPerEndpoint must be at least 2 (the selected one and a new one)");
        }
        this.maxAddressesPerEndpoint = maxAddressesPerEndpoint;
    }

    /**
     * Routes STUN whose USERNAME starts with {@code localUfrag ":"} to {@code endpoint}. False (and nothing
     * changes) when another endpoint has that ufrag: make new credentials and try again.
     */
    public boolean register(String localUfrag, T endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        Ufrag key = Ufrag.of(localUfrag);
        if (byUfrag.containsKey(key) || ufragOf.containsKey(endpoint)) {
            return false;
        }
        byUfrag.put(key, endpoint);
        ufragOf.put(endpoint, key);
        return true;
    }

    /**
     * Routes non-STUN datagrams from {@code remote} to {@code endpoint}, after a check from it authenticated. An
     * address admitted by another endpoint moves here (the latest authenticated check wins: the browser behind it
     * now uses this endpoint's credentials).
     */
    public void admit(T endpoint, A remote) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(remote, "remote");
        T owner = byRemote.get(remote);
        if (owner != null && !owner.equals(endpoint)) {
            Routes<A> theirs = routesOf.get(owner);
            theirs.admitted.remove(remote);
            if (remote.equals(theirs.selected)) {
                theirs.selected = null;
            }
        }
        Routes<A> routes = routesOf.computeIfAbsent(endpoint, e -> new Routes<>());
        byRemote.put(remote, endpoint);
        if (routes.admitted.contains(remote)) {
            return;
        }
        routes.admitted.addLast(remote);
        while (routes.admitted.size() > maxAddressesPerEndpoint) {
            A oldest = routes.admitted.pollFirst();
            if (oldest.equals(routes.selected)) {
                routes.admitted.addLast(oldest); // the selected address stays; the next oldest goes
            } else {
                byRemote.remove(oldest);
            }
        }
    }

    /** Marks {@code remote} as the endpoint's selected address ({@link IceLiteAgent.Listener#onPairSelected}), admitting it. */
    public void select(T endpoint, A remote) {
        admit(endpoint, remote);
        routesOf.get(endpoint).selected = remote;
    }

    /** Forgets the endpoint's ufrag and addresses (on close). */
    public void remove(T endpoint) {
        Ufrag key = ufragOf.remove(endpoint);
        if (key != null) {
            byUfrag.remove(key);
        }
        Routes<A> routes = routesOf.remove(endpoint);
        if (routes != null) {
            for (A remote : routes.admitted) {
                byRemote.remove(remote);
            }
        }
    }

    /** The endpoint for {@code array[offset .. offset + length)} from {@code source}, or null to drop it. */
    public T route(byte[] array, int offset, int length, A source) {
        PacketKind kind = PacketKind.of(array, offset, length);
        return switch (kind) {
            case STUN -> routeStun(array, offset, length, source);
            case DTLS, RTP, RTCP -> byRemote.get(source);
            default -> null;
        };
    }

    private T routeStun(byte[] array, int offset, int length, A source) {
        if (stun.wrap(array, offset, length) != StunStatus.OK) {
            return null;
        }
        if (!stun.hasUsername()) {
            return byRemote.get(source);
        }
        int at = stun.usernameOffset();
        int n = stun.usernameLength();
        int colon = at;
        while (colon < at + n && array[colon] != ':') {
            colon++;
        }
        return byUfrag.get(probe.set(array, at, colon - at));
    }

    /** Endpoints with a registered ufrag. */
    public int size() {
        return byUfrag.size();
    }

    /** The address selected for {@code endpoint}, or null. */
    public A selected(T endpoint) {
        Routes<A> routes = routesOf.get(endpoint);
        return routes == null ? null : routes.selected;
    }

    /** How many addresses route to {@code endpoint}. */
    public int addresses(T endpoint) {
        Routes<A> routes = routesOf.get(endpoint);
        return routes == null ? 0 : routes.admitted.size();
    }

    /**
     * A ufrag's octets as a map key. Stored keys own their array; the table's single probe is re-pointed at each
     * packet's USERNAME so lookups do not allocate.
     */
    private static final class Ufrag {
        private byte[] array;
        private int offset;
        private int length;
        private int hash;

        static Ufrag of(String ufrag) {
            byte[] bytes = ufrag.getBytes(StandardCharsets.UTF_8);
            return new Ufrag().set(bytes, 0, bytes.length);
        }

        Ufrag set(byte[] array, int offset, int length) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            int h = 1;
            for (int i = 0; i < length; i++) {
                h = 31 * h + array[offset + i];
            }
            this.hash = h;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ufrag u && Arrays.equals(array, offset, offset + length, u.array, u.offset,
                    u.offset + u.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
