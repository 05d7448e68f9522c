package dev.parley.sip.uri;

import dev.parley.common.Ascii;
import dev.parley.sip.text.SipSyntaxException;
import java.util.Objects;

/**
 * The host of a SIP URI or a Via sent-by (RFC 3261 §25.1), kept as written and compared as the address it names.
 *
 * <pre>
 * host          = hostname / IPv4address / IPv6reference
 * hostname      = *( domainlabel "." ) toplabel [ "." ]
 * domainlabel   = alphanum / alphanum *( alphanum / "-" ) alphanum
 * toplabel      = ALPHA / ALPHA *( alphanum / "-" ) alphanum
 * IPv4address   = dec-octet "." dec-octet "." dec-octet "." dec-octet   ; RFC 5954 §4.1 (values up to 255)
 * IPv6reference = "[" IPv6address "]"                                   ; RFC 3986 §3.2.2 IPv6address
 * </pre>
 *
 * <p>Equality: host names ignore case; IPv4 and IPv6 addresses compare by value, so {@code [::1]} equals
 * {@code [0:0:0:0:0:0:0:1]} (RFC 5118 §4). An IPv4-mapped IPv6 address ({@code [::ffff:192.0.2.1]}, RFC 5118
 * §4.9) is an IPv6 host and does not equal the IPv4 host {@code 192.0.2.1}: no name or address is ever
 * resolved, as RFC 3261 §19.1.4 asks.
 *
 * <p>Leniency, on purpose: RFC 5118 §4.10 asks to accept the {@code [2001:db8:::192.0.2.1]} form that RFC 3261's
 * ABNF wrongly allowed (three colons before an embedded IPv4 address); it is read as {@code ::}. IPv4 octets may
 * carry leading zeros (RFC 3261 wrote {@code 1*3DIGIT}); they are read as decimal.
 */
public final class Host {
    /** What a host is. */
    public enum Kind {
        HOSTNAME,
        IPV4,
        IPV6
    }

    private final String text;
    private final Kind kind;
    /** IPv6: the upper 64 bits of the address. */
    private final long high;
    /** IPv6: the lower 64 bits; IPv4: the address as an unsigned 32-bit value. */
    private final long low;

    private Host(String text, Kind kind, long high, long low) {
        this.text = text;
        this.kind = kind;
        this.high = high;
        this.low = low;
    }

    /**
     * Parses a host name, an IPv4 address or a bracketed IPv6 reference; an IPv6 address without brackets is
     * rejected, since in a URI its colons would be read as a port (RFC 5118 §4.2).
     *
     * @throws SipSyntaxException when {@code text} is none of those
     */
    public static Host parse(String text) {
        return parse(text, 0, text.length());
    }

    /** Parses {@code text[start, end)} as {@link #parse(String)} does. */
    public static Host parse(CharSequence text, int start, int end) {
        Objects.checkFromToIndex(start, end, text.length());
        String s = text instanceof String str ? str : text.subSequence(start, end).toString();
        if (!(text instanceof String)) {
            end -= start;
            start = 0;
        }
        return parseIn(s, start, end);
    }

    /**
     * Parses an IP address as the Via {@code received} parameter carries it: IPv4, or IPv6 with or without
     * brackets (RFC 5118 §4.5 asks to tolerate both). The host's {@link #text()} is always bracketed for IPv6, so
     * it can be put in a URI as is.
     *
     * @throws SipSyntaxException when {@code text} is not an IP address
     */
    public static Host parseAddress(String text) {
        int n = text.length();
        if (n > 0 && text.charAt(0) == '[') {
            Host h = parseIn(text, 0, n);
            if (h.kind == Kind.IPV6) {
                return h;
            }
        } else if (text.indexOf(':') >= 0) {
            int[] groups = ipv6Groups(text, 0, n);
            if (groups != null) {
                return ipv6("[" + text + "]", groups);
            }
        } else {
            long v = ipv4(text, 0, n);
            if (v >= 0) {
                return new Host(text, Kind.IPV4, 0, v);
            }
        }
        throw new SipSyntaxException("not an IP address: \"" + abbreviate(text, 0, n) + '"');
    }

    /** Parses {@code s[start, end)}, which must be exactly one host. */
    static Host parseIn(String s, int start, int end) {
        if (start < end && s.charAt(start) != '[') {
            long v = nameOrIpv4(s, start, end);
            String text = s.substring(start, end);
            return v < 0 ? new Host(text, Kind.HOSTNAME, 0, 0) : new Host(text, Kind.IPV4, 0, v);
        }
        if (start >= end) {
            throw new SipSyntaxException("empty host");
        }
        if (end - start < 3 || s.charAt(end - 1) != ']') {
            throw new SipSyntaxException("unterminated IPv6 reference \"" + abbreviate(s, start, end) + '"');
        }
        int[] groups = ipv6Groups(s, start + 1, end - 1);
        if (groups == null) {
            throw new SipSyntaxException("invalid IPv6 address \"" + abbreviate(s, start, end) + '"');
        }
        return ipv6(s.substring(start, end), groups);
    }

    /**
     * Checks that {@code s[start, end)} is exactly one host, as {@link #parse(String)} does, without building one:
     * for a Via sent-by, which is kept as text.
     *
     * @throws SipSyntaxException when it is not
     */
    public static void check(String s, int start, int end) {
        Objects.checkFromToIndex(start, end, s.length());
        if (start < end && s.charAt(start) != '[') {
            nameOrIpv4(s, start, end);
        } else {
            parseIn(s, start, end);
        }
    }

    /** The IPv4 address of non-empty, unbracketed {@code s[start, end)}, or -1 when it is a valid host name. */
    private static long nameOrIpv4(String s, int start, int end) {
        boolean numeric = true;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c != '.' && !Ascii.isDigit(c)) {
                numeric = false;
                break;
            }
        }
        if (numeric) {
            // RFC 3261 §25.1: a toplabel starts with ALPHA, so all-digit text can only be an IPv4 address
            long v = ipv4(s, start, end);
            if (v < 0) {
                throw new SipSyntaxException("invalid IPv4 address \"" + abbreviate(s, start, end) + '"');
            }
            return v;
        }
        if (!isHostname(s, start, end)) {
            throw new SipSyntaxException("invalid host name \"" + abbreviate(s, start, end) + '"');
        }
        return -1;
    }

    /** {@code hostname = *( domainlabel "." ) toplabel [ "." ]} (RFC 3261 §25.1, also RFC 3966's domainname). */
    static boolean isHostname(String s, int start, int end) {
        if (start >= end) {
            return false;
        }
        int last = s.charAt(end - 1) == '.' ? end - 1 : end;
        int label = start;
        for (int i = start; i < last; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (!isLabel(s, label, i)) {
                    return false;
                }
                label = i + 1;
            } else if (!Ascii.isLetterOrDigit(c) && c != '-') {
                return false;
            }
        }
        return isLabel(s, label, last) && Ascii.isLetter(s.charAt(label));
    }

    private static boolean isLabel(String s, int start, int end) {
        return end > start && s.charAt(start) != '-' && s.charAt(end - 1) != '-';
    }

    /** The address of dotted-decimal {@code s[start, end)}, or -1. */
    static long ipv4(String s, int start, int end) {
        long value = 0;
        int i = start;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= end || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int digits = i;
            int octet = 0;
            while (i < end && Ascii.isDigit(s.charAt(i))) {
                if (i - digits == 3) {
                    return -1;
                }
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == digits || octet > 255) {
                return -1;
            }
            value = value << 8 | octet;
        }
        return i == end ? value : -1;
    }

    /**
     * The eight 16-bit groups of IPv6address {@code s[start, end)} (RFC 3986 §3.2.2), or {@code null}.
     *
     * <pre>
     * IPv6address = 6( h16 ":" ) ls32 / "::" 5( h16 ":" ) ls32 / ... / [ *6( h16 ":" ) h16 ] "::"
     * ls32        = ( h16 ":" h16 ) / IPv4address
     * h16         = 1*4HEXDIG
     * </pre>
     */
    static int[] ipv6Groups(String s, int start, int end) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = start;
        if (end - start >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
            if (i < end && s.charAt(i) == ':' && isDottedTail(s, i + 1, end)) {
                i++; // RFC 5118 §4.10: tolerate ":::" before an IPv4 address
            }
        }
        while (i < end) {
            int digits = i;
            int group = 0;
            while (i < end && i - digits < 5 && Ascii.hexValue(s.charAt(i)) >= 0) {
                group = group << 4 | Ascii.hexValue(s.charAt(i));
                i++;
            }
            if (i < end && s.charAt(i) == '.') {
                // ls32 as an IPv4 address: the last 32 bits
                long v = ipv4(s, digits, end);
                if (v < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v >>> 16);
                groups[count++] = (int) (v & 0xFFFF);
                i = end;
                break;
            }
            if (i == digits || i - digits > 4 || count == 8) {
                return null;
            }
            groups[count++] = group;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i < end && s.charAt(i) == ':') {
                    if (!isDottedTail(s, i + 1, end)) {
                        return null;
                    }
                    i++; // RFC 5118 §4.10, as above
                }
            } else if (i == end) {
                return null; // a single trailing colon
            }
        }
        if (gap < 0) {
            return count == 8 ? groups : null;
        }
        // RFC 4291 §2.2: "::" stands for one or more groups of zeros
        if (count > 7) {
            return null;
        }
        int zeros = 8 - count;
        System.arraycopy(groups, gap, groups, gap + zeros, count - gap);
        for (int k = gap; k < gap + zeros; k++) {
            groups[k] = 0;
        }
        return groups;
    }

    /** True when {@code s[start, end)} is a dotted IPv4 address with no further colons. */
    private static boolean isDottedTail(String s, int start, int end) {
        return ipv4(s, start, end) >= 0;
    }

    private static Host ipv6(String text, int[] groups) {
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = high << 16 | groups[k];
            low = low << 16 | groups[k + 4];
        }
        return new Host(text, Kind.IPV6, high, low);
    }

    /** The host as written: a name in its original case, or an IPv6 reference with its brackets. */
    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isHostname() {
        return kind == Kind.HOSTNAME;
    }

    public boolean isIpv4() {
        return kind == Kind.IPV4;
    }

    public boolean isIpv6() {
        return kind == Kind.IPV6;
    }

    /**
     * A form equal for equal hosts: a name in lower case, an IPv4 address without leading zeros, an IPv6 reference
     * in the RFC 5952 text form ({@code [2001:db8::1]}, {@code [::ffff:192.0.2.1]}). Useful as a map key.
     */
    public String canonical() {
        return switch (kind) {
            case HOSTNAME -> Ascii.toLowerCase(text);
            case IPV4 -> dotted(new StringBuilder(15), low).toString();
            case IPV6 -> canonicalIpv6();
        };
    }

    private static StringBuilder dotted(StringBuilder out, long v) {
        return out.append((v >>> 24) & 0xFF).append('.').append((v >>> 16) & 0xFF).append('.')
                .append((v >>> 8) & 0xFF).append('.').append(v & 0xFF);
    }

    private String canonicalIpv6() {
        StringBuilder out = new StringBuilder(41).append('[');
        if (high == 0 && (low >>> 32) == 0xFFFF) {
            // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad
            return dotted(out.append("::ffff:"), low & 0xFFFFFFFFL).append(']').toString();
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (high >>> (48 - 16 * k)) & 0xFFFF;
            g[k + 4] = (int) (low >>> (48 - 16 * k)) & 0xFFFF;
        }
        // RFC 5952 §4.2: shorten the longest run of two or more zero groups, the first one on a tie
        int bestStart = -1;
        int bestLength = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int run = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - run > bestLength) {
                bestStart = run;
                bestLength = k - run;
            }
        }
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                out.append("::");
                k += bestLength - 1;
                continue;
            }
            if (k > 0 && k != bestStart + bestLength) {
                out.append(':');
            }
            out.append(Integer.toHexString(g[k]));
        }
        return out.append(']').toString();
    }

    /** Same kind and same address, or host names equal ignoring case. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Host other) || other.kind != kind) {
            return false;
        }
        return kind == Kind.HOSTNAME ? Ascii.equalsIgnoreCase(text, other.text)
                : high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        return kind == Kind.HOSTNAME ? Ascii.hashCodeIgnoreCase(text) : Long.hashCode(high) * 31 + Long.hashCode(low);
    }

    /** The host as written. */
    @Override
    public String toString() {
        return text;
    }

    static String abbreviate(CharSequence s, int start, int end) {
        return end - start <= 80 ? s.subSequence(start, end).toString()
                : s.subSequence(start, start + 77) + "...";
    }
}
