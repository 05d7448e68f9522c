package dev.parley.rtp.ice;

import dev.parley.rtp.PacketKind;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunStatus;
import java.nio.charset.StandardCharsets;
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
 *   <li>Anything else (DTLS, RTP, RTCP, STUN without USERNAME such as Binding indications) goes to the endpoint
 *       whose selected pair has that remote address, once {@link #select} was called for it: the media plane
 *       calls it on {@link IceLiteAgent.Listener#onPairSelected}, i.e. only after an authenticated nomination.</li>
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
    private final Map<T, A> remoteOf = new HashMap<>();
    private final StunMessage stun = new StunMessage();
    private final Ufrag probe = new Ufrag();

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
     * Routes non-STUN datagrams from {@code remote} to {@code endpoint}, replacing the endpoint's previous
     * selected address. An address selected by another endpoint moves here (the last authenticated nomination
     * wins: the browser behind it has moved to this endpoint's credentials).
     */
    public void select(T endpoint, A remote) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(remote, "remote");
        A previous = remoteOf.remove(endpoint);
        if (previous != null) {
            byRemote.remove(previous);
        }
        T other = byRemote.put(remote, endpoint);
        if (other != null && other != endpoint) {
            remoteOf.remove(other);
        }
        remoteOf.put(endpoint, remote);
    }

    /** Forgets the endpoint's ufrag and selected address (on close). */
    public void remove(T endpoint) {
        Ufrag key = ufragOf.remove(endpoint);
        if (key != null) {
            byUfrag.remove(key);
        }
        A remote = remoteOf.remove(endpoint);
        if (remote != null) {
            byRemote.remove(remote);
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
        return remoteOf.get(endpoint);
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
