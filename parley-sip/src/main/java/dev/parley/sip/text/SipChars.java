package dev.parley.sip.text;

/**
 * Character classes of RFC 3261 §25.1, looked up in tables for the parser's inner loops.
 *
 * <pre>
 * alphanum   = ALPHA / DIGIT
 * mark       = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
 * unreserved = alphanum / mark
 * reserved   = ";" / "/" / "?" / ":" / "@" / "&amp;" / "=" / "+" / "$" / ","
 * token      = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )
 * word       = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
 *              "(" / ")" / "&lt;" / "&gt;" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}" )
 * </pre>
 */
public final class SipChars {
    private static final int ALPHANUM = 1;
    private static final int MARK = 1 << 1;
    private static final int RESERVED = 1 << 2;
    private static final int TOKEN = 1 << 3;
    private static final int WORD = 1 << 4;
    private static final int USER_UNRESERVED = 1 << 5;
    private static final int PARAM_UNRESERVED = 1 << 6;
    private static final int HNV_UNRESERVED = 1 << 7;

    private static final int[] CLASSES = new int[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            CLASSES[c] |= ALPHANUM;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            CLASSES[c] |= ALPHANUM;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASSES[c] |= ALPHANUM;
        }
        mark("-_.!~*'()", MARK);
        mark(";/?:@&=+$,", RESERVED);
        mark("-.!%*_+`'~", TOKEN);
        mark("-.!%*_+`'~()<>:\\\"/[]?{}", WORD);
        mark("&=+$,;?/", USER_UNRESERVED);
        mark("[]/:&+$", PARAM_UNRESERVED);
        mark("[]/?:+$", HNV_UNRESERVED);
        for (int c = 0; c < 128; c++) {
            if ((CLASSES[c] & ALPHANUM) != 0) {
                CLASSES[c] |= TOKEN | WORD;
            }
        }
    }

    private SipChars() {
    }

    private static void mark(String chars, int bit) {
        for (int i = 0; i < chars.length(); i++) {
            CLASSES[chars.charAt(i)] |= bit;
        }
    }

    private static boolean is(char c, int bit) {
        return c < 128 && (CLASSES[c] & bit) != 0;
    }

    public static boolean isAlphanum(char c) {
        return is(c, ALPHANUM);
    }

    public static boolean isUnreserved(char c) {
        return is(c, ALPHANUM | MARK);
    }

    public static boolean isReserved(char c) {
        return is(c, RESERVED);
    }

    public static boolean isToken(char c) {
        return is(c, TOKEN);
    }

    public static boolean isWord(char c) {
        return is(c, WORD);
    }

    /** user-unreserved of the SIP URI user part (RFC 3261 §25.1). */
    public static boolean isUserUnreserved(char c) {
        return is(c, USER_UNRESERVED);
    }

    /** param-unreserved of SIP URI parameters. */
    public static boolean isParamUnreserved(char c) {
        return is(c, PARAM_UNRESERVED);
    }

    /** hnv-unreserved of SIP URI headers. */
    public static boolean isHnvUnreserved(char c) {
        return is(c, HNV_UNRESERVED);
    }

    /** True when every character of a non-empty {@code s} is a token character. */
    public static boolean isToken(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            if (!isToken(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** SP or HTAB. */
    public static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** UTF8-NONASCII of RFC 3261 §25.1: any octet above 0x7F, as decoded text any char above U+007F. */
    public static boolean isNonAscii(char c) {
        return c > 0x7F;
    }
}
