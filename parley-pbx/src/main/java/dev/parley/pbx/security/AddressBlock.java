package dev.parley.pbx.security;

import dev.parley.common.IpLiteral;
import dev.parley.common.IpPrefix;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A CIDR block such as {@code 127.0.0.0/8} or {@code 2001:db8::/32}.
 *
 * @param network the first address of the block (bits past the prefix are zero)
 * @param prefixLength bits that must match: 0–32 for IPv4, 0–128 for IPv6
 */
public record AddressBlock(InetAddress network, int prefixLength) {
    public AddressBlock {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0-" + bits);
        }
        network = IpPrefix.mask(network, prefixLength);
    }

    /**
     * Parses {@code address/prefix} or a lone address (a block of one). Only numeric addresses: no name is
     * resolved.
     */
    public static AddressBlock parse(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        InetAddress a = numeric(address);
        int prefix = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        return new AddressBlock(a, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        return IpPrefix.mask(address, prefixLength).equals(network);
    }

    private static InetAddress numeric(String text) {
        return IpLiteral.parse(text).orElseThrow(() -> new IllegalArgumentException(
                "not a numeric IP address: " + text));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
