package dev.parley.sdp.attribute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** Small scanning helpers for the SDP grammar (RFC 8866 §9): tokens, integers, single-space separated fields. */
public final class SdpText {
    private SdpText() {
    }

    /**
     * Runs a parse whose last step is a constructor that validates, and turns its refusal into empty: the
     * constructors of the attribute records are the single statement of what a valid value is.
     */
    public static <T> Optional<T> attempt(Supplier<Optional<T>> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException refused) {
            return Optional.empty();
        }
    }

    /** RFC 8866 §9 {@code token-char}: visible ASCII except the separators listed there. */
    public static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Visible ASCII only (no space, no control characters), as in addresses, ids and hash values. */
    public static boolean isVisible(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Text allowed on one SDP line: anything but CR, LF and NUL (RFC 8866 §9 {@code byte-string}, UTF-8 text). */
    public static boolean isLineText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    public static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A decimal integer in {@code [min, max]}, without sign; empty otherwise (also on overflow). */
    public static OptionalInt parseInt(String s, int min, int max) {
        if (!isDigits(s) || s.length() > 10) {
            return OptionalInt.empty();
        }
        long v = Long.parseLong(s);
        return v < min || v > max ? OptionalInt.empty() : OptionalInt.of((int) v);
    }

    /** A decimal integer in {@code [0, max]}, at most 18 digits; empty otherwise. */
    public static OptionalLong parseLong(String s, long max) {
        if (!isDigits(s) || s.length() > 18) {
            return OptionalLong.empty();
        }
        long v = Long.parseLong(s);
        return v > max ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * Splits on single spaces. Returns {@code null} when a field is empty (two spaces in a row, a leading or a
     * trailing space): the grammar separates fields by exactly one SP, and accepting more would break the
     * byte-for-byte round trip.
     */
    public static List<String> fields(String s) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ' ') {
                if (i == start) {
                    return null;
                }
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** The text before the first space and the rest, or {@code null} when there is no space or either is empty. */
    public static String[] splitFirstSpace(String s) {
        int sp = s.indexOf(' ');
        if (sp <= 0 || sp == s.length() - 1) {
            return null;
        }
        return new String[] {s.substring(0, sp), s.substring(sp + 1)};
    }
}
