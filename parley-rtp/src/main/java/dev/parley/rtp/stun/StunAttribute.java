package dev.parley.rtp.stun;

/**
 * Attribute types Parley reads or writes (RFC 8489 §18.3, RFC 8445 §16.1). Types below {@code 0x8000} are
 * comprehension-required: a request carrying one Parley does not know is answered with 420 (RFC 8489 §6.3.1).
 */
public final class StunAttribute {
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    /** RFC 8489 §14.3: USERNAME is at most 513 octets. */
    public static final int USERNAME_MAX = 513;
    /** RFC 8489 §14.8: the reason phrase is at most 763 octets. */
    public static final int REASON_MAX = 763;

    private StunAttribute() {
    }

    /** RFC 8489 §14: 0x0000-0x7FFF must be understood by the receiver of a request. */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** The comprehension-required types this implementation understands. */
    static boolean isKnownRequired(int type) {
        return switch (type) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
                    MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, PRIORITY,
                    USE_CANDIDATE -> true;
            default -> false;
        };
    }
}
