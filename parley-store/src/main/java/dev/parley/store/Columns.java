package dev.parley.store;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.HeaderType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** How values the ports use are written to columns and read back, so that what is read equals what was written. */
final class Columns {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Columns() {
    }

    /** Epoch milliseconds: the ports promise millisecond precision, and a BIGINT is exact on both databases. */
    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** {@code host:port}, IPv6 in brackets; the numeric address when resolved, else the name as given. */
    static String socketAddress(InetSocketAddress address) {
        String host = address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Reads what {@link #socketAddress} wrote. IP literals come back resolved (no lookup happens for a literal);
     * anything else comes back unresolved: the store never does DNS.
     */
    static InetSocketAddress socketAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("stored socket address has no port: " + text);
        }
        String host = text.substring(0, colon);
        int port = Integer.parseInt(text.substring(colon + 1));
        boolean ipv6 = host.startsWith("[") && host.endsWith("]");
        if (ipv6) {
            host = host.substring(1, host.length() - 1);
        }
        if (ipv6 || IPV4.matcher(host).matches()) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: parsed, not looked up
            } catch (UnknownHostException e) {
                // e.g. an IPv6 scope naming an interface this host does not have: keep the text
                return InetSocketAddress.createUnresolved(host, port);
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** The Path header values as one Path header value (RFC 3327 §4: comma-separated name-addrs), or null. */
    static String path(List<Address> path) {
        if (path.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Address a : path) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(a);
        }
        return sb.toString();
    }

    static List<Address> path(String text) {
        return text == null ? List.of() : new ArrayList<>(HeaderType.PATH.parseList(text));
    }
}
