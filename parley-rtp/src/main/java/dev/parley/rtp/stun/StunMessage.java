package dev.parley.rtp.stun;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A reusable read-only view of one STUN message (RFC 8489) in a byte array. {@link #wrap} checks the framing and
 * records where the attributes Parley reads are; it never throws on network input and allocates nothing, so the
 * media plane keeps one view per event loop.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Type                  |            Length             |  attributes, each padded to 4 octets
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <table>
 *   <caption>What {@code wrap} accepts (anything else is a non-OK {@link StunStatus})</caption>
 *   <tr><td>header</td><td>20 octets, leading bits 00, magic cookie 0x2112A442 (RFC 3489 messages are not STUN here)</td></tr>
 *   <tr><td>length</td><td>multiple of 4 and exactly the datagram's length minus 20 (UDP framing, RFC 8489 §6.2.1)</td></tr>
 *   <tr><td>attributes</td><td>each within the message; known ones of the right size (PRIORITY 4, USE-CANDIDATE 0,
 *       ICE-CONTROLLING/-CONTROLLED 8, MESSAGE-INTEGRITY 20, MESSAGE-INTEGRITY-SHA256 16..32 in steps of 4,
 *       FINGERPRINT 4, USERNAME ≤ 513, ERROR-CODE 4..767, addresses 8 or 20 with family 1 or 2)</td></tr>
 *   <tr><td>duplicates</td><td>the first occurrence counts (RFC 8489 §14)</td></tr>
 *   <tr><td>after MESSAGE-INTEGRITY</td><td>only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are read; others ignored (§14.5)</td></tr>
 *   <tr><td>FINGERPRINT</td><td>last, and verified (CRC-32 xor 0x5354554E, §14.7)</td></tr>
 *   <tr><td>unknown comprehension-required</td><td>the first {@value #MAX_UNKNOWN} types are kept for a 420 answer</td></tr>
 * </table>
 *
 * <p>Not thread-safe; the view reads the caller's array, which must not change while the view is used.
 */
public final class StunMessage {
    /** RFC 8489 §5. */
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** The Binding method (RFC 8489 §18.2). */
    public static final int BINDING = 0x001;
    /** RFC 8489 §14.7. */
    public static final int FINGERPRINT_XOR = 0x5354554E;
    /** How many unknown comprehension-required attribute types are remembered for UNKNOWN-ATTRIBUTES. */
    public static final int MAX_UNKNOWN = 8;

    private static final StunStatus[] STATUSES = StunStatus.values();

    private final CRC32 crc = new CRC32();
    private final int[] unknown = new int[MAX_UNKNOWN];

    private byte[] array;
    private int offset;
    private int length;
    private int type;
    private int unknownCount;
    // Offsets (into array) of attribute headers, -1 when absent.
    private int username;
    private int integrity;
    private int integritySha256;
    private int fingerprint;
    private int xorMappedAddress;
    private int mappedAddress;
    private int errorCode;
    private int priority;
    private int useCandidate;
    private int iceControlling;
    private int iceControlled;
    private int software;
    private int realm;
    private int nonce;

    /**
     * Points the view at {@code array[offset .. offset + length)} and checks it (table above). Reads nothing
     * outside that range, whatever the bytes say.
     */
    public StunStatus wrap(byte[] array, int offset, int length) {
        // A range outside the array is the caller's bug, not network input: that alone throws.
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.offset = offset;
        this.length = 0;
        clearAttributes();
        int headerStatus = checkHeader(array, offset, length);
        if (headerStatus != 0) {
            return STATUSES[headerStatus];
        }
        this.type = u16(array, offset);
        this.length = length;
        return scanAttributes();
    }

    /**
     * The cheap test of RFC 7983 and RFC 8489 §5 without reading attributes: 0 when the first 20 octets look like
     * a STUN header whose length fits the datagram, else the ordinal of the failing {@link StunStatus}.
     */
    private static int checkHeader(byte[] array, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return StunStatus.TOO_SHORT.ordinal();
        }
        if ((array[offset] & 0xC0) != 0 || i32(array, offset + 4) != MAGIC_COOKIE) {
            return StunStatus.NOT_STUN.ordinal();
        }
        int bodyLength = u16(array, offset + 2);
        if ((bodyLength & 3) != 0) {
            return StunStatus.BAD_LENGTH.ordinal();
        }
        if (HEADER_LENGTH + bodyLength > length) {
            return StunStatus.TOO_SHORT.ordinal();
        }
        if (HEADER_LENGTH + bodyLength != length) {
            return StunStatus.BAD_LENGTH.ordinal();
        }
        return 0;
    }

    /** Whether the first octets look like a STUN message (header checks only, no attributes). */
    public static boolean looksLikeStun(byte[] array, int offset, int length) {
        return checkHeader(array, offset, length) == 0;
    }

    private void clearAttributes() {
        type = -1;
        unknownCount = 0;
        username = integrity = integritySha256 = fingerprint = xorMappedAddress = mappedAddress = errorCode = -1;
        priority = useCandidate = iceControlling = iceControlled = software = realm = nonce = -1;
    }

    private StunStatus scanAttributes() {
        int end = offset + length;
        int p = offset + HEADER_LENGTH;
        while (p < end) {
            if (end - p < 4) {
                return fail(StunStatus.MALFORMED_ATTRIBUTE);
            }
            int attrType = u16(array, p);
            int attrLength = u16(array, p + 2);
            int next = p + 4 + (attrLength + 3 & ~3);
            if (next > end) {
                return fail(StunStatus.MALFORMED_ATTRIBUTE);
            }
            if (fingerprint >= 0) {
                // RFC 8489 §14.7: FINGERPRINT is the last attribute.
                return fail(StunStatus.BAD_FINGERPRINT);
            }
            if (attrType == StunAttribute.FINGERPRINT) {
                if (attrLength != 4) {
                    return fail(StunStatus.MALFORMED_ATTRIBUTE);
                }
                fingerprint = p;
            } else if (integritySha256 >= 0) {
                // RFC 8489 §14.6: after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT counts.
            } else if (integrity >= 0) {
                // RFC 8489 §14.5: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count.
                if (attrType == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                    if (!validSha256Length(attrLength)) {
                        return fail(StunStatus.MALFORMED_ATTRIBUTE);
                    }
                    integritySha256 = p;
                }
            } else if (!record(attrType, attrLength, p)) {
                return fail(StunStatus.MALFORMED_ATTRIBUTE);
            }
            p = next;
        }
        if (fingerprint >= 0 && !fingerprintMatches()) {
            return fail(StunStatus.BAD_FINGERPRINT);
        }
        return StunStatus.OK;
    }

    private static boolean validSha256Length(int n) {
        // RFC 8489 §14.6: 16 to 32 octets, a multiple of 4.
        return n >= 16 && n <= 32 && (n & 3) == 0;
    }

    /** Notes the first occurrence of a known attribute; false when its length or value cannot be right. */
    private boolean record(int attrType, int n, int p) {
        switch (attrType) {
            case StunAttribute.USERNAME -> {
                if (n > StunAttribute.USERNAME_MAX) {
                    return false;
                }
                username = first(username, p);
            }
            case StunAttribute.MESSAGE_INTEGRITY -> {
                if (n != 20) {
                    return false;
                }
                integrity = p;
            }
            case StunAttribute.MESSAGE_INTEGRITY_SHA256 -> {
                if (!validSha256Length(n)) {
                    return false;
                }
                integritySha256 = p;
            }
            case StunAttribute.XOR_MAPPED_ADDRESS -> {
                if (!validAddress(p, n)) {
                    return false;
                }
                xorMappedAddress = first(xorMappedAddress, p);
            }
            case StunAttribute.MAPPED_ADDRESS -> {
                if (!validAddress(p, n)) {
                    return false;
                }
                mappedAddress = first(mappedAddress, p);
            }
            case StunAttribute.ERROR_CODE -> {
                // RFC 8489 §14.8: class 3..6 and number 0..99; reason phrase at most 763 octets.
                if (n < 4 || n > 4 + StunAttribute.REASON_MAX) {
                    return false;
                }
                int errorClass = array[p + 6] & 0x07;
                int number = array[p + 7] & 0xFF;
                if (errorClass < 3 || errorClass > 6 || number > 99) {
                    return false;
                }
                errorCode = first(errorCode, p);
            }
            case StunAttribute.PRIORITY -> {
                if (n != 4) {
                    return false;
                }
                priority = first(priority, p);
            }
            case StunAttribute.USE_CANDIDATE -> {
                if (n != 0) {
                    return false;
                }
                useCandidate = first(useCandidate, p);
            }
            case StunAttribute.ICE_CONTROLLING -> {
                if (n != 8) {
                    return false;
                }
                iceControlling = first(iceControlling, p);
            }
            case StunAttribute.ICE_CONTROLLED -> {
                if (n != 8) {
                    return false;
                }
                iceControlled = first(iceControlled, p);
            }
            case StunAttribute.SOFTWARE -> software = first(software, p);
            case StunAttribute.REALM -> realm = first(realm, p);
            case StunAttribute.NONCE -> nonce = first(nonce, p);
            default -> {
                if (StunAttribute.isComprehensionRequired(attrType) && !StunAttribute.isKnownRequired(attrType)
                        && unknownCount < MAX_UNKNOWN) {
                    unknown[unknownCount++] = attrType;
                }
            }
        }
        return true;
    }

    private static int first(int seen, int p) {
        return seen >= 0 ? seen : p;
    }

    private boolean validAddress(int p, int n) {
        if (n < 4) {
            return false;
        }
        int family = array[p + 5] & 0xFF;
        return family == TransportAddress.FAMILY_IPV4 && n == 8 || family == TransportAddress.FAMILY_IPV6 && n == 20;
    }

    private StunStatus fail(StunStatus status) {
        length = 0;
        clearAttributes();
        return status;
    }

    /** RFC 8489 §14.7: CRC-32 of the message up to FINGERPRINT, with the length field covering FINGERPRINT. */
    private boolean fingerprintMatches() {
        int expected = i32(array, fingerprint + 4);
        return computeFingerprint(crc, array, offset, fingerprint) == expected;
    }

    /**
     * The FINGERPRINT value of a message whose header is at {@code offset} and whose FINGERPRINT attribute header
     * is at {@code attributeAt}: the length field is taken as if the message ended after that attribute.
     */
    static int computeFingerprint(CRC32 crc, byte[] array, int offset, int attributeAt) {
        int adjustedLength = attributeAt + 8 - offset - HEADER_LENGTH;
        crc.reset();
        crc.update(array, offset, 2);
        crc.update(adjustedLength >>> 8);
        crc.update(adjustedLength);
        crc.update(array, offset + 4, attributeAt - offset - 4);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    // --- header -------------------------------------------------------------------------------------------------

    /** The 14-bit message type, or -1 when the last {@code wrap} failed. */
    public int type() {
        return type;
    }

    /** The 12-bit method (RFC 8489 §5), e.g. {@link #BINDING}. */
    public int method() {
        return (type & 0x000F) | (type >> 1 & 0x0070) | (type >> 2 & 0x0F80);
    }

    public StunClass messageClass() {
        return StunClass.of(type);
    }

    public boolean isBindingRequest() {
        return type == 0x0001;
    }

    /** The whole message's length in octets (0 after a failed {@code wrap}). */
    public int length() {
        return length;
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    /** Offset in {@link #array()} of the 12-octet transaction id. */
    public int transactionIdOffset() {
        return offset + 8;
    }

    /** A copy of the transaction id (control plane and tests). */
    public byte[] transactionId() {
        byte[] id = new byte[TRANSACTION_ID_LENGTH];
        System.arraycopy(array, offset + 8, id, 0, TRANSACTION_ID_LENGTH);
        return id;
    }

    // --- attributes ---------------------------------------------------------------------------------------------

    public boolean hasUsername() {
        return username >= 0;
    }

    /** Offset of the USERNAME value in {@link #array()}, -1 when absent. */
    public int usernameOffset() {
        return username < 0 ? -1 : username + 4;
    }

    public int usernameLength() {
        return username < 0 ? 0 : u16(array, username + 2);
    }

    /** The USERNAME as UTF-8 text (allocates; the packet path compares octets instead), null when absent. */
    public String username() {
        return text(username);
    }

    /** The SOFTWARE description, null when absent. */
    public String software() {
        return text(software);
    }

    public String realm() {
        return text(realm);
    }

    public String nonce() {
        return text(nonce);
    }

    private String text(int at) {
        return at < 0 ? null : new String(array, at + 4, u16(array, at + 2), StandardCharsets.UTF_8);
    }

    public boolean hasMessageIntegrity() {
        return integrity >= 0;
    }

    public boolean hasMessageIntegritySha256() {
        return integritySha256 >= 0;
    }

    /** Offset of the MESSAGE-INTEGRITY attribute header, -1 when absent. */
    int integrityAt() {
        return integrity;
    }

    int integritySha256At() {
        return integritySha256;
    }

    public boolean hasFingerprint() {
        return fingerprint >= 0;
    }

    public boolean hasPriority() {
        return priority >= 0;
    }

    /** The PRIORITY value as an unsigned 32-bit number (RFC 8445 §7.1.1), 0 when absent. */
    public long priority() {
        return priority < 0 ? 0 : i32(array, priority + 4) & 0xFFFFFFFFL;
    }

    public boolean hasUseCandidate() {
        return useCandidate >= 0;
    }

    public boolean hasIceControlling() {
        return iceControlling >= 0;
    }

    public boolean hasIceControlled() {
        return iceControlled >= 0;
    }

    /** The tie-breaker of ICE-CONTROLLING (RFC 8445 §7.1.3), 0 when absent. */
    public long iceControlling() {
        return iceControlling < 0 ? 0 : i64(array, iceControlling + 4);
    }

    /** The tie-breaker of ICE-CONTROLLED, 0 when absent. */
    public long iceControlled() {
        return iceControlled < 0 ? 0 : i64(array, iceControlled + 4);
    }

    public boolean hasErrorCode() {
        return errorCode >= 0;
    }

    /** RFC 8489 §14.8: class × 100 + number, e.g. 401; 0 when absent. */
    public int errorCode() {
        return errorCode < 0 ? 0 : (array[errorCode + 6] & 0x07) * 100 + (array[errorCode + 7] & 0xFF);
    }

    /** The ERROR-CODE reason phrase, null when absent. */
    public String errorReason() {
        if (errorCode < 0) {
            return null;
        }
        return new String(array, errorCode + 8, u16(array, errorCode + 2) - 4, StandardCharsets.UTF_8);
    }

    public boolean hasXorMappedAddress() {
        return xorMappedAddress >= 0;
    }

    /** XOR-MAPPED-ADDRESS decoded (RFC 8489 §14.2), null when absent. */
    public TransportAddress xorMappedAddress() {
        return xorMappedAddress < 0 ? null : address(xorMappedAddress, true);
    }

    /** MAPPED-ADDRESS (RFC 8489 §14.1), null when absent. */
    public TransportAddress mappedAddress() {
        return mappedAddress < 0 ? null : address(mappedAddress, false);
    }

    private TransportAddress address(int at, boolean xor) {
        int family = array[at + 5] & 0xFF;
        int port = u16(array, at + 6) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
        byte[] ip = new byte[family == TransportAddress.FAMILY_IPV4 ? 4 : 16];
        for (int i = 0; i < ip.length; i++) {
            // X-Address is xored with the magic cookie, then (IPv6) the transaction id: the header's octets 4..19.
            ip[i] = (byte) (array[at + 8 + i] ^ (xor ? array[offset + 4 + i] : 0));
        }
        return TransportAddress.of(ip, port);
    }

    /** How many unknown comprehension-required attribute types the message carried (up to {@value #MAX_UNKNOWN}). */
    public int unknownRequiredCount() {
        return unknownCount;
    }

    public int unknownRequired(int i) {
        if (i < 0 || i >= unknownCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return unknown[i];
    }

    @Override
    public String toString() {
        if (length == 0) {
            return "StunMessage[invalid]";
        }
        return "StunMessage[method=0x" + Integer.toHexString(method()) + ", class=" + messageClass()
                + ", length=" + length + "]";
    }

    // --- octets -------------------------------------------------------------------------------------------------

    static int u16(byte[] a, int p) {
        return (a[p] & 0xFF) << 8 | a[p + 1] & 0xFF;
    }

    static int i32(byte[] a, int p) {
        return (a[p] & 0xFF) << 24 | (a[p + 1] & 0xFF) << 16 | (a[p + 2] & 0xFF) << 8 | a[p + 3] & 0xFF;
    }

    static long i64(byte[] a, int p) {
        return (long) i32(a, p) << 32 | i32(a, p + 4) & 0xFFFFFFFFL;
    }
}
