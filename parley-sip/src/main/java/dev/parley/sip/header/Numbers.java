package dev.parley.sip.header;

/** delta-seconds found in parameters (RFC 3261 §25.1), where a bad value means "not given" rather than an error. */
final class Numbers {
    private Numbers() {
    }

    /** The value as a number of seconds, or -1 when null, empty, not all digits or above 2^32-1. */
    static long deltaSeconds(String value) {
        if (value == null || value.isEmpty() || value.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v > HeaderType.MAX_UINT32 ? -1 : v;
    }
}
