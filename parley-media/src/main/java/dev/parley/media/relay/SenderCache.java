package dev.parley.media.relay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The last two sources a socket heard from, as the octets {@code recvmsg} wrote and as the address object the relay
 * passes on: a datagram from one of them gets that same object, so a live stream (one source) makes no object per
 * packet, and a stranger's datagrams between the peer's do not cost the peer's a new one (two entries). A new source
 * gets a new object, made as Netty made it (IPv4 and IPv4-mapped as an {@code Inet4Address}), so latching and the
 * comparisons with the SDP's address see what they saw before.
 *
 * <p>Both entries are fields of this object, the address octets as two longs, not objects and arrays of their own:
 * a relay's thousands of sockets are each cold in the CPU caches when their next datagram comes, and every object on
 * the way from a datagram to its address is one more likely cache miss per packet.
 *
 * <p>Only an identity cache: whether a source is admitted is the {@link Latch}'s decision, unchanged.
 */
final class SenderCache {
    private static final VarHandle OCTETS_AS_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle OCTETS_AS_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);

    // The entry that matched last, and the one before it. high/low: the 16 octets of an IPv6 address, or 0 and the
    // 4 octets of an IPv4 one (length tells them apart). address null: the entry is empty.
    private long recentHigh;
    private long recentLow;
    private int recentLength;
    private int recentScope;
    private int recentPort;
    private InetSocketAddress recentAddress;
    private long previousHigh;
    private long previousLow;
    private int previousLength;
    private int previousScope;
    private int previousPort;
    private InetSocketAddress previousAddress;

    /** The address for these sender fields ({@code length}: 4 or 16 octets), or null when they are not one. */
    InetSocketAddress resolve(byte[] octets, int length, int scope, int port) {
        long high;
        long low;
        if (length == 4) {
            high = 0;
            low = (int) OCTETS_AS_INT.get(octets, 0) & 0xFFFFFFFFL;
        } else if (length == 16) {
            high = (long) OCTETS_AS_LONG.get(octets, 0);
            low = (long) OCTETS_AS_LONG.get(octets, 8);
        } else {
            return null;
        }
        if (recentAddress != null && recentLow == low && recentPort == port && recentHigh == high
                && recentLength == length && recentScope == scope) {
            return recentAddress;
        }
        return other(octets, length, scope, port, high, low);
    }

    /** Not the recent source: the previous one (the two swap), or a new one that becomes the recent. */
    private InetSocketAddress other(byte[] octets, int length, int scope, int port, long high, long low) {
        InetSocketAddress address;
        if (previousAddress != null && previousLow == low && previousPort == port && previousHigh == high
                && previousLength == length && previousScope == scope) {
            address = previousAddress;
        } else {
            address = addressOf(octets, length, scope, port);
            if (address == null) {
                return null;
            }
        }
        previousHigh = recentHigh;
        previousLow = recentLow;
        previousLength = recentLength;
        previousScope = recentScope;
        previousPort = recentPort;
        previousAddress = recentAddress;
        recentHigh = high;
        recentLow = low;
        recentLength = length;
        recentScope = scope;
        recentPort = port;
        recentAddress = address;
        return address;
    }

    private static InetSocketAddress addressOf(byte[] octets, int length, int scope, int port) {
        byte[] copy = Arrays.copyOf(octets, length);
        try {
            InetAddress ip = length == 4 ? InetAddress.getByAddress(copy)
                    : Inet6Address.getByAddress(null, copy, scope);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            return null; // not for 4 or 16 octets
        }
    }
}
