package dev.parley.sip.uri;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Parameters.Parameter;
import dev.parley.sip.text.SipChars;
import dev.parley.sip.text.SipSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads one URI: picks the grammar by scheme and holds the SIP-URI grammar itself (RFC 3261 §19.1.1, §25.1).
 *
 * <pre>
 * SIP-URI    = "sip:" [ userinfo ] hostport uri-parameters [ headers ]      ; "sips:" alike
 * userinfo   = ( user / telephone-subscriber ) [ ":" password ] "@"
 * hostport   = host [ ":" port ]
 * uri-parameters = *( ";" uri-parameter )        ; pname [ "=" pvalue ], both 1*paramchar
 * headers    = "?" header *( "&amp;" header )      ; hname "=" hvalue
 * scheme     = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )                 ; RFC 3986 §3.1
 * </pre>
 *
 * <p>The parser is strict: whitespace, characters the grammar does not allow raw, malformed escapes, an empty
 * host, user or parameter name all fail. No raw {@code @} may follow the userinfo (parameters and headers must
 * escape it), so the first {@code @} ends the userinfo even when the user holds {@code ;} or {@code ?}
 * ({@code sip:user;par=u%40example.net@example.com} has user {@code user;par=u%40example.net}, RFC 4475 §3.1.1.9).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>element</th><th>limit</th><th>why</th></tr>
 *   <tr><td>port</td><td>1–5 digits, at most 65535</td><td>no overflow (RFC 3261 §25.1: {@code 1*DIGIT})</td></tr>
 *   <tr><td>IPv4 octet</td><td>1–3 digits, at most 255</td><td>RFC 5954 §4.1 dec-octet</td></tr>
 *   <tr><td>IPv6 address</td><td>8 groups of 1–4 hex digits, one {@code ::}</td><td>RFC 3986 §3.2.2</td></tr>
 *   <tr><td>uri-parameters (also tel parameters)</td><td>{@value #MAX_PARAMETERS}</td><td>equivalence
 *       compares parameters pairwise, so their count must be small for comparing hostile URIs to stay cheap</td></tr>
 *   <tr><td>headers</td><td>{@value #MAX_HEADERS}</td><td>likewise</td></tr>
 *   <tr><td>URI length</td><td>none here</td><td>bounded by the message parser's limits; parsing is linear in
 *       the length</td></tr>
 * </table>
 *
 * <p>Failures are {@link SipSyntaxException} with status 400 (416 from {@link #parseSip} for another scheme),
 * and nothing else, whatever the input.
 */
public final class UriParser {
    /** Most uri-parameters one URI may carry; comparison is quadratic in their count (RFC 3261 sets none). */
    static final int MAX_PARAMETERS = 64;
    /** Most headers in the {@code ?} part of one URI. */
    static final int MAX_HEADERS = 32;

    private UriParser() {
    }

    /**
     * Parses {@code text[start, end)}, which must be exactly one URI.
     *
     * @throws SipSyntaxException when it is not
     * @throws IndexOutOfBoundsException when the range is not inside {@code text} (a programming error)
     */
    public static Uri parse(CharSequence text, int start, int end) {
        Objects.checkFromToIndex(start, end, text.length());
        String s;
        if (text instanceof String str) {
            s = str;
        } else {
            s = text.subSequence(start, end).toString();
            end -= start;
            start = 0;
        }
        if (start == end) {
            throw new SipSyntaxException("empty URI");
        }
        if (!Ascii.isLetter(s.charAt(start))) {
            throw fail(s, start, end, start, "a URI scheme starts with a letter");
        }
        int colon = start + 1;
        while (colon < end && isSchemeChar(s.charAt(colon))) {
            colon++;
        }
        if (colon == end || s.charAt(colon) != ':') {
            throw fail(s, start, end, colon, "expected ':' after the URI scheme");
        }
        int length = colon - start;
        if (length == 3 && matches(s, start, "sip")) {
            return sip(s, start, end, colon + 1, false);
        }
        if (length == 4 && matches(s, start, "sips")) {
            return sip(s, start, end, colon + 1, true);
        }
        if (length == 3 && matches(s, start, "tel")) {
            return TelUriParser.parse(s, start, end, colon + 1);
        }
        return absolute(s, start, end, colon);
    }

    /**
     * Parses a {@code sip:} or {@code sips:} URI.
     *
     * @throws SipSyntaxException when {@code text} is malformed, or with status 416 (Unsupported URI Scheme,
     *     RFC 3261 §21.4.14) when it is a well-formed URI of another scheme
     */
    public static SipUri parseSip(String text) {
        Uri uri = parse(text, 0, text.length());
        if (uri instanceof SipUri sip) {
            return sip;
        }
        throw new SipSyntaxException(416, "not a sip or sips URI: " + uri.scheme());
    }

    private static boolean isSchemeChar(char c) {
        return Ascii.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.';
    }

    /** Case-insensitive match of ASCII {@code lower} at {@code s[start]} (the scheme is already known ASCII). */
    private static boolean matches(String s, int start, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if (Ascii.toLowerCase(s.charAt(start + i)) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static SipUri sip(String s, int uriStart, int end, int p, boolean secure) {
        String rawUser = null;
        String rawPassword = null;
        int at = s.indexOf('@', p);
        if (at >= 0 && at < end) {
            int userEnd = check(s, uriStart, end, Escapes.scan(s, p, at, Escapes.Component.USER));
            if (userEnd == p) {
                throw fail(s, uriStart, end, p, "empty user");
            }
            rawUser = s.substring(p, userEnd);
            if (userEnd < at) {
                if (s.charAt(userEnd) != ':') {
                    throw fail(s, uriStart, end, userEnd, "character not allowed in the user part");
                }
                int passwordEnd = check(s, uriStart, end, Escapes.scan(s, userEnd + 1, at, Escapes.Component.PASSWORD));
                if (passwordEnd < at) {
                    throw fail(s, uriStart, end, passwordEnd, "character not allowed in the password");
                }
                rawPassword = s.substring(userEnd + 1, at);
            }
            p = at + 1;
        }

        int hostStart = p;
        if (p < end && s.charAt(p) == '[') {
            while (p < end && s.charAt(p) != ']') {
                p++;
            }
            if (p == end) {
                throw fail(s, uriStart, end, hostStart, "unterminated IPv6 reference");
            }
            p++;
        } else {
            while (p < end && (SipChars.isAlphanum(s.charAt(p)) || s.charAt(p) == '-' || s.charAt(p) == '.')) {
                p++;
            }
        }
        if (p == hostStart) {
            throw fail(s, uriStart, end, p, "expected a host");
        }
        Host host = Host.parseIn(s, hostStart, p);

        int port = -1;
        if (p < end && s.charAt(p) == ':') {
            p++;
            int digits = p;
            port = 0;
            while (p < end && Ascii.isDigit(s.charAt(p))) {
                if (p - digits == 5) {
                    throw fail(s, uriStart, end, p, "port longer than 5 digits");
                }
                port = port * 10 + (s.charAt(p) - '0');
                p++;
            }
            if (p == digits) {
                throw fail(s, uriStart, end, p, "expected a port number");
            }
            if (port > 65535) {
                throw fail(s, uriStart, end, digits, "port larger than 65535");
            }
        }

        Parameters parameters = Parameters.EMPTY;
        if (p < end && s.charAt(p) == ';') {
            List<Parameter> list = new ArrayList<>(4);
            while (p < end && s.charAt(p) == ';') {
                if (list.size() == MAX_PARAMETERS) {
                    throw fail(s, uriStart, end, p, "more than " + MAX_PARAMETERS + " URI parameters");
                }
                int nameStart = ++p;
                p = check(s, uriStart, end, Escapes.scan(s, p, end, Escapes.Component.PARAMETER));
                if (p == nameStart) {
                    throw fail(s, uriStart, end, p, "expected a parameter name");
                }
                String name = s.substring(nameStart, p);
                String value = null;
                if (p < end && s.charAt(p) == '=') {
                    int valueStart = ++p;
                    p = check(s, uriStart, end, Escapes.scan(s, p, end, Escapes.Component.PARAMETER));
                    if (p == valueStart) {
                        throw fail(s, uriStart, end, p, "expected a parameter value");
                    }
                    value = s.substring(valueStart, p);
                }
                list.add(new Parameter(name, value));
            }
            parameters = Parameters.of(list);
        }

        Parameters headers = Parameters.EMPTY;
        if (p < end && s.charAt(p) == '?') {
            List<Parameter> list = new ArrayList<>(2);
            do {
                if (list.size() == MAX_HEADERS) {
                    throw fail(s, uriStart, end, p, "more than " + MAX_HEADERS + " URI headers");
                }
                int nameStart = ++p;
                p = check(s, uriStart, end, Escapes.scan(s, p, end, Escapes.Component.HEADER));
                if (p == nameStart) {
                    throw fail(s, uriStart, end, p, "expected a header name");
                }
                String name = s.substring(nameStart, p);
                if (p == end || s.charAt(p) != '=') {
                    throw fail(s, uriStart, end, p, "expected '=' after a URI header name");
                }
                int valueStart = ++p;
                p = check(s, uriStart, end, Escapes.scan(s, p, end, Escapes.Component.HEADER));
                list.add(new Parameter(name, s.substring(valueStart, p)));
            } while (p < end && s.charAt(p) == '&');
            headers = Parameters.of(list);
        }

        if (p < end) {
            throw fail(s, uriStart, end, p, "unexpected character");
        }
        return new SipUri(secure, rawUser, rawPassword, host, port, parameters, headers);
    }

    /** absoluteURI (RFC 3261 §25.1): the rest must be {@code 1*( reserved / unreserved / escaped )}. */
    private static AbsoluteUri absolute(String s, int start, int end, int colon) {
        int p = colon + 1;
        if (p == end) {
            throw fail(s, start, end, p, "empty URI after the scheme");
        }
        while (p < end) {
            char c = s.charAt(p);
            if (c == '%') {
                if (!Escapes.isEscape(s, p, end)) {
                    throw fail(s, start, end, p, "invalid %-escape");
                }
                p += 3;
            } else if (SipChars.isUnreserved(c) || SipChars.isReserved(c) || c == '[' || c == ']') {
                // '[' and ']' for RFC 3986 §3.2.2 IP-literals (http://[2001:db8::1]/)
                p++;
            } else {
                throw fail(s, start, end, p, "character not allowed in a URI");
            }
        }
        return new AbsoluteUri(Ascii.toLowerCase(s.substring(start, colon)), s.substring(colon + 1, end));
    }

    /** Passes through a position from {@link Escapes#scan}, failing on an invalid escape. */
    static int check(String s, int uriStart, int end, int scanned) {
        if (scanned < 0) {
            throw fail(s, uriStart, end, -1 - scanned, "invalid %-escape");
        }
        return scanned;
    }

    static SipSyntaxException fail(String s, int start, int end, int at, String what) {
        return new SipSyntaxException(what + " at " + (at - start) + " in URI \"" + Host.abbreviate(s, start, end)
                + '"');
    }
}
