package dev.parley.sip.uri;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.common.Ascii;
import dev.parley.sip.text.SipChars;

/**
 * The {@code escaped = "%" HEXDIG HEXDIG} mechanism of RFC 3261 §25.1 (RFC 3986 §2.1 pct-encoded): validation,
 * decoding and comparison of escaped text without decoding it into a new string.
 *
 * <p>Text given to the comparison and decoding methods has been validated, so every {@code %} starts a valid
 * escape; a stray {@code %} is still treated as itself rather than failing, so no input can make them throw.
 */
final class Escapes {
    /** Which raw characters a URI component admits besides escapes. */
    enum Component {
        // RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved )
        USER,
        // password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
        PASSWORD,
        // paramchar = param-unreserved / unreserved / escaped
        PARAMETER,
        // hname, hvalue = *( hnv-unreserved / unreserved / escaped )
        HEADER;

        /** {@link #rule} for each ASCII character, looked up in {@link #scan}'s loop. */
        private final boolean[] allowed = new boolean[128];

        static {
            for (Component component : values()) {
                for (char c = 0; c < 128; c++) {
                    component.allowed[c] = component.rule(c);
                }
            }
        }

        boolean allows(char c) {
            return c < 128 && allowed[c];
        }

        private boolean rule(char c) {
            return switch (this) {
                case USER -> SipChars.isUnreserved(c) || SipChars.isUserUnreserved(c);
                case PASSWORD -> SipChars.isUnreserved(c) || c == '&' || c == '=' || c == '+' || c == '$' || c == ',';
                case PARAMETER -> SipChars.isUnreserved(c) || SipChars.isParamUnreserved(c);
                case HEADER -> SipChars.isUnreserved(c) || SipChars.isHnvUnreserved(c);
            };
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Escapes() {
    }

    /** True when {@code s[i]} is {@code %} followed by two hex digits before {@code end}. */
    static boolean isEscape(CharSequence s, int i, int end) {
        return i + 2 < end && s.charAt(i) == '%' && Ascii.hexValue(s.charAt(i + 1)) >= 0
                && Ascii.hexValue(s.charAt(i + 2)) >= 0;
    }

    /**
     * Scans the characters {@code component} allows, escapes included, from {@code i}; returns where the run ends,
     * or {@code -1 - position} of a {@code %} that does not start a valid escape.
     */
    static int scan(String s, int i, int end, Component component) {
        while (i < end) {
            char c = s.charAt(i);
            if (c == '%') {
                if (!isEscape(s, i, end)) {
                    return -1 - i;
                }
                i += 3;
            } else if (component.allows(c)) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** True when all of {@code s} is allowed raw text or valid escapes of {@code component}. */
    static boolean isValid(String s, Component component) {
        return scan(s, 0, s.length(), component) == s.length();
    }

    /** Resolves escapes; the octets are read as UTF-8 (malformed sequences become U+FFFD). */
    static String decode(String raw) {
        if (raw == null || raw.indexOf('%') < 0) {
            return raw;
        }
        int n = raw.length();
        byte[] out = new byte[n * 3];
        int len = 0;
        for (int i = 0; i < n; ) {
            char c = raw.charAt(i);
            if (c == '%' && isEscape(raw, i, n)) {
                out[len++] = (byte) (Ascii.hexValue(raw.charAt(i + 1)) << 4 | Ascii.hexValue(raw.charAt(i + 2)));
                i += 3;
            } else if (c < 0x80) {
                out[len++] = (byte) c;
                i++;
            } else {
                // validated URI text is ASCII; keep anything else intact rather than fail
                byte[] utf8 = String.valueOf(c).getBytes(UTF_8);
                System.arraycopy(utf8, 0, out, len, utf8.length);
                len += utf8.length;
                i++;
            }
        }
        return new String(out, 0, len, UTF_8);
    }

    /**
     * Escapes every character {@code component} does not allow raw, as the UTF-8 octets of that character; a
     * {@code %} is always escaped, so decoding the result gives back {@code text}.
     */
    static String encode(String text, Component component) {
        StringBuilder out = null;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c != '%' && c < 0x80 && component.allows(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16).append(text, 0, i);
            }
            int cp = text.codePointAt(i);
            if (Character.charCount(cp) == 2) {
                i++;
            }
            for (byte b : new String(Character.toChars(cp)).getBytes(UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * RFC 3261 §19.1.4: "characters other than those in the reserved set are equivalent to their encoding" —
     * compares the octets {@code a} and {@code b} stand for, optionally ignoring the case of ASCII letters.
     * Allocates nothing.
     */
    static boolean equalsDecoded(String a, String b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        int i = 0;
        int j = 0;
        int na = a.length();
        int nb = b.length();
        while (i < na && j < nb) {
            int x;
            char c = a.charAt(i);
            if (c == '%' && isEscape(a, i, na)) {
                x = Ascii.hexValue(a.charAt(i + 1)) << 4 | Ascii.hexValue(a.charAt(i + 2));
                i += 3;
            } else {
                x = c;
                i++;
            }
            int y;
            char d = b.charAt(j);
            if (d == '%' && isEscape(b, j, nb)) {
                y = Ascii.hexValue(b.charAt(j + 1)) << 4 | Ascii.hexValue(b.charAt(j + 2));
                j += 3;
            } else {
                y = d;
                j++;
            }
            if (x != y && (!ignoreCase || lower(x) != lower(y))) {
                return false;
            }
        }
        return i == na && j == nb;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
