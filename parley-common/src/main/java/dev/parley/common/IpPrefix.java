package dev.parley.common;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address prefixes as values: what a source is counted by, and an address cut to a prefix. No name is looked
 * up and no socket is touched ({@link InetAddress#getByAddress(byte[])} only wraps bytes).
 */
public final class IpPrefix {
    /**
     * Leading bits of an IPv6 address that name one source. RFC 4291 §2.5.4: the low 64 bits of a global unicast
     * address are the interface ID, which the host picks itself (and rotates, RFC 8981 temporary addresses); a
     * subscriber gets at least a /64. Counting per /128 would let one host step around any per-source limit.
     */
    public static final int IPV6_SOURCE_BITS = 64;

    private IpPrefix() {
    }

    /**
     * The address a source is counted by: the host for IPv4, its /64 for IPv6 (one subscriber's allocation). An
     * IPv4 peer on a dual-stack socket comes from the JDK as an IPv4 address ({@code ::ffff:192.0.2.1} parses to
     * {@code 192.0.2.1}) and is counted as that host.
     */
    public static InetAddress ofSource(InetAddress address) {
        return address instanceof Inet6Address ? mask(address, IPV6_SOURCE_BITS) : address;
    }

    /**
     * {@code address} with every bit past {@code prefixLength} cleared: the first address of its block, e.g.
     * {@code 10.1.2.3} and 12 give {@code 10.0.0.0}. Scope and host name are not kept.
     *
     * @param prefixLength 0–32 for IPv4, 0–128 for IPv6
     */
    public static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] b = address.getAddress();
        if (prefixLength < 0 || prefixLength > b.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0-" + b.length * 8);
        }
        for (int i = 0; i < b.length; i++) {
            int keep = Math.clamp(prefixLength - i * 8L, 0, 8);
            b[i] &= (byte) (0xFF00 >> keep);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes came from an InetAddress", e);
        }
    }
}
