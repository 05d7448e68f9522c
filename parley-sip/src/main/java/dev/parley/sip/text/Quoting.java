package dev.parley.sip.text;

/** quoted-string of RFC 3261 §25.1: {@code DQUOTE *(qdtext / quoted-pair) DQUOTE}. */
public final class Quoting {
    private Quoting() {
    }

    /** Removes surrounding quotes and resolves quoted-pairs; text that is not quoted is returned as is. */
    public static String unquote(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            return s;
        }
        if (s.indexOf('\\', 1) < 0) {
            return s.substring(1, s.length() - 1);
        }
        StringBuilder out = new StringBuilder(s.length() - 2);
        for (int i = 1, end = s.length() - 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < end) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Wraps in quotes, escaping {@code "} and {@code \} as quoted-pairs. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
