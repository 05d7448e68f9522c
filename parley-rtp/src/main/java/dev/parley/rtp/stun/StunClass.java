package dev.parley.rtp.stun;

/** RFC 8489 §5: the two class bits of a message type (C1 at bit 8, C0 at bit 4). */
public enum StunClass {
    REQUEST,
    INDICATION,
    SUCCESS_RESPONSE,
    ERROR_RESPONSE;

    private static final StunClass[] BY_BITS = values();

    /** The class of a 14-bit message type. */
    public static StunClass of(int messageType) {
        return BY_BITS[(messageType >> 7 & 0b10) | (messageType >> 4 & 0b01)];
    }

    /** The message type of {@code method} in this class: the method bits M0..M11 interleaved with C0 and C1. */
    public int type(int method) {
        int c = ordinal();
        return (method & 0x000F) | (method & 0x0070) << 1 | (method & 0x0F80) << 2 | (c & 0b01) << 4 | (c & 0b10) << 7;
    }
}
