package dev.parley.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals read without a name lookup. {@link InetAddress#getByName} parses a literal but hands whatever
 * it cannot parse to the resolver: {@code 999.1.1.1} or {@code g::1} in a peer's SDP would make Parley send a DNS
 * query, and wait for it on the thread that asked. Java 21 has no {@code InetAddress.ofLiteral} (JDK 22), so the
 * shape is checked here first and only a string the JDK is certain to parse or refuse reaches it:
 *
 * <ul>
 *   <li>IPv4: four decimal groups 0-255 without leading zeros (some parsers read {@code 010} as octal; RFC 3986
 *       §7.4), turned into bytes here;</li>
 *   <li>IPv6 (RFC 4291 §2.2), bare or in brackets (RFC 3986 §3.2.2), a zone ({@code %eth0}, RFC 6874) dropped: hex
 *       digits, {@code :} and {@code .} with at least one {@code :}, not starting with {@code .} — a string that
 *       starts with a hex digit or {@code :} and holds a {@code :} is parsed as an IPv6 literal or refused by the
 *       JDK, never resolved. An IPv4-mapped address ({@code ::ffff:192.0.2.7}) comes back as IPv4.</li>
 * </ul>
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** {@code text} as an address if it is an IP literal; empty for a host name, garbage or null. Never a lookup. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String s = text.length() > 2 && text.startsWith("[") && text.endsWith("]")
                ? text.substring(1, text.length() - 1) : text;
        byte[] ipv4 = dottedQuad(s);
        try {
            if (ipv4 != null) {
                return Optional.of(InetAddress.getByAddress(ipv4));
            }
            int zone = s.indexOf('%');
            String ipv6 = zone < 0 ? s : s.substring(0, zone);
            return ipv6Shape(ipv6) ? Optional.of(InetAddress.getByName(ipv6)) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty(); // a malformed IPv6 literal, refused by the JDK's parser
        }
    }

    /** The four bytes of a dotted-quad IPv4 literal ({@code 192.0.2.1}), or null if {@code s} is not one. */
    private static byte[] dottedQuad(String s) {
        byte[] bytes = new byte[4];
        int group = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if ((digits > 0 && value == 0) || ++digits > 3) {
                    return null; // a leading zero or too many digits
                }
                value = value * 10 + (c - '0');
            } else if (c == '.' && digits > 0 && value <= 255 && group < 4) {
                bytes[group++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return group == 4 ? bytes : null;
    }

    /** Hex digits, ':' and '.', at least one ':', not empty and not starting with '.'. */
    private static boolean ipv6Shape(String s) {
        if (s.isEmpty() || s.indexOf(':') < 0 || s.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
