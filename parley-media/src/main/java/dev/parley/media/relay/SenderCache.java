package dev.parley.media.relay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The last two sources a socket heard from, as the octets {@code recvmsg} wrote and as the address object the relay
 * passes on: a datagram from one of them gets that same object, so a live stream (one source) makes no object per
 * packet, and a stranger's datagrams between the peer's do not cost the peer's a new one (two entries). A new source
 * gets a new object, made as Netty made it (IPv4 and IPv4-mapped as an {@code Inet4Address}), so latching and the
 * comparisons with the SDP's address see what they saw before.
 *
 * <p>Only an identity cache: whether a source is admitted is the {@link Latch}'s decision, unchanged.
 */
final class SenderCache {
    private Entry recent = new Entry();
    private Entry previous = new Entry();

    /** The address for these sender fields ({@code length}: 4 or 16 octets), or null when they are not one. */
    InetSocketAddress resolve(byte[] octets, int length, int scope, int port) {
        if (recent.matches(octets, length, scope, port)) {
            return recent.address;
        }
        Entry e = previous;
        previous = recent;
        recent = e;
        if (!e.matches(octets, length, scope, port)) {
            e.set(octets, length, scope, port);
        }
        return e.address;
    }

    private static final class Entry {
        private final byte[] octets = new byte[16];
        private int length;
        private int scope;
        private int port = -1;
        private InetSocketAddress address;

        boolean matches(byte[] o, int l, int s, int p) {
            return address != null && port == p && length == l && scope == s
                    && Arrays.equals(octets, 0, l, o, 0, l);
        }

        void set(byte[] o, int l, int s, int p) {
            address = null;
            if (l != 4 && l != 16) {
                return;
            }
            byte[] copy = Arrays.copyOf(o, l);
            try {
                InetAddress ip = l == 4 ? InetAddress.getByAddress(copy) : Inet6Address.getByAddress(null, copy, s);
                address = new InetSocketAddress(ip, p);
            } catch (UnknownHostException e) {
                return; // not for 4 or 16 octets
            }
            System.arraycopy(o, 0, octets, 0, l);
            length = l;
            scope = s;
            port = p;
        }
    }
}
