package dev.parley.pbx.directory;

/**
 * The character rules for names that end up in SIP URIs, Digest usernames and security log lines. Kept narrower than
 * the SIP {@code user} grammar on purpose: a name made of these characters needs no escaping in a URI, no quoting in
 * a log line, and compares the same in every phone's configuration screen.
 */
final class Names {
    private Names() {
    }

    /** Letters, digits and {@code . _ + -}, 1 to 64 characters: SIP usernames and user names. */
    static String checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            throw new IllegalArgumentException(what + " must be 1 to 64 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '+' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException(what + " may hold letters, digits and . _ + - only: " + name);
            }
        }
        return name;
    }

    /** Digits and {@code * # +}, 1 to 32 characters: what a keypad can dial. */
    static String checkNumber(String number) {
        if (number == null || number.isEmpty() || number.length() > 32) {
            throw new IllegalArgumentException("an extension number must be 1 to 32 characters");
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '*' || c == '#' || c == '+')) {
                throw new IllegalArgumentException("an extension number may hold digits and * # + only: " + number);
            }
        }
        return number;
    }
}
