package dev.parley.rtp.stun;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IP address and UDP port as STUN carries them (RFC 8489 §14.1/§14.2): 4 or 16 address octets in network
 * order. parley-rtp does no I/O, so it never holds a {@code java.net.InetSocketAddress}; the media plane converts
 * at its edge. Immutable: the octets are copied in and never handed out.
 */
public final class TransportAddress {
    /** RFC 8489 §14.1: address family values. */
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private final byte[] address;
    private final int port;
    private final int hash;

    private TransportAddress(byte[] address, int port) {
        this.address = address;
        this.port = port;
        this.hash = 31 * Arrays.hashCode(address) + port;
    }

    /**
     * @param address 4 (IPv4) or 16 (IPv6) octets, copied
     * @param port 0..65535
     */
    public static TransportAddress of(byte[] address, int port) {
        Objects.requireNonNull(address, "address");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 octets, not " + address.length);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
        return new TransportAddress(address.clone(), port);
    }

    /** An IPv4 address from its four octets, e.g. {@code ipv4(192, 0, 2, 1, 32853)}. */
    public static TransportAddress ipv4(int a, int b, int c, int d, int port) {
        return of(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, port);
    }

    public int family() {
        return address.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6;
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public int port() {
        return port;
    }

    /** A copy of the address octets. */
    public byte[] address() {
        return address.clone();
    }

    /** Octet {@code i} of the address, 0..255. */
    public int octet(int i) {
        return address[i] & 0xFF;
    }

    /** 4 or 16. */
    public int addressLength() {
        return address.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportAddress t && t.port == port && Arrays.equals(t.address, address);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code 192.0.2.1:32853} or {@code [2001:db8:1234:5678:11:2233:4455:6677]:32853} (groups not compressed). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(48);
        if (isIpv4()) {
            for (int i = 0; i < 4; i++) {
                s.append(i == 0 ? "" : ".").append(octet(i));
            }
        } else {
            s.append('[');
            for (int i = 0; i < 16; i += 2) {
                s.append(i == 0 ? "" : ":").append(Integer.toHexString(octet(i) << 8 | octet(i + 1)));
            }
            s.append(']');
        }
        return s.append(':').append(port).toString();
    }
}
