package dev.parley.common;

/**
 * ASCII-only text operations. Protocol tokens (SIP methods, header names, URI schemes, parameter names) are ASCII
 * and compared case-insensitively; the JDK's locale-aware {@code toLowerCase()} would map {@code 'I'} to a dotless
 * {@code 'ı'} under a Turkish locale, so protocol code must use these instead.
 */
public final class Ascii {
    private Ascii() {
    }

    /** Lower-cases ASCII letters only; returns {@code s} itself when it has none to change. */
    public static String toLowerCase(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] out = s.toCharArray();
                for (int j = i; j < n; j++) {
                    char d = out[j];
                    if (d >= 'A' && d <= 'Z') {
                        out[j] = (char) (d + ('a' - 'A'));
                    }
                }
                return new String(out);
            }
        }
        return s;
    }

    /** Upper-cases ASCII letters only; returns {@code s} itself when it has none to change. */
    public static String toUpperCase(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                char[] out = s.toCharArray();
                for (int j = i; j < n; j++) {
                    char d = out[j];
                    if (d >= 'a' && d <= 'z') {
                        out[j] = (char) (d - ('a' - 'A'));
                    }
                }
                return new String(out);
            }
        }
        return s;
    }

    /** Lower-cases one ASCII letter; other characters are returned unchanged. */
    public static char toLowerCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Compares two strings ignoring the case of ASCII letters only. */
    public static boolean equalsIgnoreCase(CharSequence a, CharSequence b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.length() != b.length()) {
            return false;
        }
        for (int i = 0, n = a.length(); i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && toLowerCase(x) != toLowerCase(y)) {
                return false;
            }
        }
        return true;
    }

    /** A hash code consistent with {@link #equalsIgnoreCase}. */
    public static int hashCodeIgnoreCase(CharSequence s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + toLowerCase(s.charAt(i));
        }
        return h;
    }

    /** Value of a hexadecimal digit, or -1 when {@code c} is not one. */
    public static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** True for {@code 0-9}. */
    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** True for {@code A-Z a-z}. */
    public static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** True for {@code A-Z a-z 0-9}. */
    public static boolean isLetterOrDigit(char c) {
        return isLetter(c) || isDigit(c);
    }
}
