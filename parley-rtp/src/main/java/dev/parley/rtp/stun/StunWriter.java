package dev.parley.rtp.stun;

import dev.parley.rtp.PacketBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Builds one STUN message at a time into a caller's buffer, attribute by attribute, without allocating (the text
 * helpers encode their string, which allocates; the packet path passes octets). Reusable: {@link #begin} starts
 * over. Running out of room is sticky: every later call is a no-op and {@link #finish} returns -1, so a caller
 * checks once.
 *
 * <p>Order matters and is the caller's: MESSAGE-INTEGRITY after the attributes it protects, then optionally
 * MESSAGE-INTEGRITY-SHA256, then FINGERPRINT last (RFC 8489 §14.5-§14.7). Not thread-safe.
 */
public final class StunWriter {
    private final CRC32 crc = new CRC32();
    private byte[] array;
    private int offset;
    private int limit;
    private int position;
    private boolean overflow;
    private byte padding;

    /**
     * Starts a message of {@code type} (e.g. {@code StunClass.SUCCESS_RESPONSE.type(StunMessage.BINDING)}) at
     * {@code array[offset]}, with room up to {@code offset + capacity}, taking the 12-octet transaction id from
     * {@code transactionId[transactionIdOffset ..]}.
     */
    public StunWriter begin(byte[] array, int offset, int capacity, int type, byte[] transactionId,
            int transactionIdOffset) {
        this.array = array;
        this.offset = offset;
        this.limit = offset + capacity;
        this.position = offset;
        this.overflow = capacity < StunMessage.HEADER_LENGTH || offset + capacity > array.length;
        this.padding = 0;
        if (overflow) {
            return this;
        }
        put16(type & 0x3FFF);
        put16(0);
        put32(StunMessage.MAGIC_COOKIE);
        System.arraycopy(transactionId, transactionIdOffset, array, position, StunMessage.TRANSACTION_ID_LENGTH);
        position += StunMessage.TRANSACTION_ID_LENGTH;
        return this;
    }

    /** Starts a response of {@code responseClass} to {@code request} (same method and transaction id) in {@code out}. */
    public StunWriter beginResponse(PacketBuffer out, StunMessage request, StunClass responseClass) {
        return begin(out.array(), out.offset(), out.capacity(), responseClass.type(request.method()),
                request.array(), request.transactionIdOffset());
    }

    /**
     * The octet that pads attribute values to a multiple of 4. RFC 8489 §14 says zeros, the default; RFC 5769's
     * samples pad with spaces to prove receivers ignore padding, so tests that rebuild them set {@code 0x20}.
     */
    public StunWriter padding(int octet) {
        this.padding = (byte) octet;
        return this;
    }

    /** Any attribute: header, value, padding. */
    public StunWriter attribute(int type, byte[] value, int valueOffset, int valueLength) {
        if (!open(type, valueLength)) {
            return this;
        }
        System.arraycopy(value, valueOffset, array, position, valueLength);
        position += valueLength;
        return pad(valueLength);
    }

    /** A text attribute (USERNAME, SOFTWARE, REALM, NONCE) as UTF-8; allocates the encoding. */
    public StunWriter text(int type, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return attribute(type, utf8, 0, utf8.length);
    }

    /** RFC 8489 §14.2: family, port xor the cookie's high half, address xor the cookie (and transaction id). */
    public StunWriter xorMappedAddress(TransportAddress address) {
        return address(StunAttribute.XOR_MAPPED_ADDRESS, address, true);
    }

    /** RFC 8489 §14.1 (kept for old clients; ICE uses XOR-MAPPED-ADDRESS). */
    public StunWriter mappedAddress(TransportAddress address) {
        return address(StunAttribute.MAPPED_ADDRESS, address, false);
    }

    private StunWriter address(int type, TransportAddress address, boolean xor) {
        int n = address.addressLength();
        if (!open(type, 4 + n)) {
            return this;
        }
        array[position++] = 0;
        array[position++] = (byte) address.family();
        put16(address.port() ^ (xor ? StunMessage.MAGIC_COOKIE >>> 16 : 0));
        for (int i = 0; i < n; i++) {
            // The header's octets 4..19 are the cookie then the transaction id: the XOR key of §14.2.
            array[position++] = (byte) (address.octet(i) ^ (xor ? array[offset + 4 + i] : 0));
        }
        return this;
    }

    /** RFC 8489 §14.8: {@code code} 300..699 and a UTF-8 reason phrase (at most 763 octets). */
    public StunWriter errorCode(int code, byte[] reason, int reasonOffset, int reasonLength) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error codes are 300..699, not " + code);
        }
        if (reasonLength > StunAttribute.REASON_MAX) {
            throw new IllegalArgumentException("reason phrase longer than 763 octets");
        }
        if (!open(StunAttribute.ERROR_CODE, 4 + reasonLength)) {
            return this;
        }
        put16(0);
        array[position++] = (byte) (code / 100);
        array[position++] = (byte) (code % 100);
        System.arraycopy(reason, reasonOffset, array, position, reasonLength);
        position += reasonLength;
        return pad(4 + reasonLength);
    }

    public StunWriter errorCode(int code, String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        return errorCode(code, utf8, 0, utf8.length);
    }

    /** RFC 8489 §14.9: the unknown comprehension-required types of {@code request}, for a 420 answer. */
    public StunWriter unknownAttributes(StunMessage request) {
        int count = request.unknownRequiredCount();
        if (!open(StunAttribute.UNKNOWN_ATTRIBUTES, 2 * count)) {
            return this;
        }
        for (int i = 0; i < count; i++) {
            put16(request.unknownRequired(i));
        }
        return pad(2 * count);
    }

    /** RFC 8445 §7.1.1. */
    public StunWriter priority(long priority) {
        if (open(StunAttribute.PRIORITY, 4)) {
            put32((int) priority);
        }
        return this;
    }

    /** RFC 8445 §7.1.2: a flag with no value. */
    public StunWriter useCandidate() {
        open(StunAttribute.USE_CANDIDATE, 0);
        return this;
    }

    /** RFC 8445 §7.1.3. */
    public StunWriter iceControlling(long tieBreaker) {
        return tieBreaker(StunAttribute.ICE_CONTROLLING, tieBreaker);
    }

    public StunWriter iceControlled(long tieBreaker) {
        return tieBreaker(StunAttribute.ICE_CONTROLLED, tieBreaker);
    }

    private StunWriter tieBreaker(int type, long value) {
        if (open(type, 8)) {
            put32((int) (value >>> 32));
            put32((int) value);
        }
        return this;
    }

    /** RFC 8489 §14.5: HMAC-SHA1 over everything written so far. */
    public StunWriter messageIntegrity(StunKey key) {
        int at = position;
        if (open(StunAttribute.MESSAGE_INTEGRITY, 20)) {
            key.signSha1(array, offset, at);
            position += 20;
        }
        return this;
    }

    /** RFC 8489 §14.6: HMAC-SHA256 (32 octets, untruncated) over everything written so far. */
    public StunWriter messageIntegritySha256(StunKey key) {
        int at = position;
        if (open(StunAttribute.MESSAGE_INTEGRITY_SHA256, 32)) {
            key.signSha256(array, offset, at);
            position += 32;
        }
        return this;
    }

    /** RFC 8489 §14.7: CRC-32 xor 0x5354554E over everything written so far; must be the last attribute. */
    public StunWriter fingerprint() {
        int at = position;
        if (open(StunAttribute.FINGERPRINT, 4)) {
            put32(StunMessage.computeFingerprint(crc, array, offset, at));
        }
        return this;
    }

    /** The message's length in octets, or -1 when it did not fit. */
    public int finish() {
        return overflow ? -1 : position - offset;
    }

    /** Finishes into {@code out} (which {@link #beginResponse} wrote into): sets its length; false when it did not fit. */
    public boolean finish(PacketBuffer out) {
        int n = finish();
        if (n < 0) {
            return false;
        }
        out.length(n);
        return true;
    }

    /**
     * Writes an attribute header and sets the message length to cover the attribute's padded value, so HMAC and
     * CRC see the length the receiver will see. False (and sticky overflow) when it does not fit.
     */
    private boolean open(int type, int valueLength) {
        int padded = valueLength + 3 & ~3;
        if (overflow || limit - position < 4 + padded || position + 4 + padded - offset - 20 > 0xFFFF) {
            overflow = true;
            return false;
        }
        put16(type);
        put16(valueLength);
        int bodyLength = position + padded - offset - StunMessage.HEADER_LENGTH;
        array[offset + 2] = (byte) (bodyLength >>> 8);
        array[offset + 3] = (byte) bodyLength;
        return true;
    }

    private StunWriter pad(int valueLength) {
        for (int i = valueLength; (i & 3) != 0; i++) {
            array[position++] = padding;
        }
        return this;
    }

    private void put16(int v) {
        array[position++] = (byte) (v >>> 8);
        array[position++] = (byte) v;
    }

    private void put32(int v) {
        array[position++] = (byte) (v >>> 24);
        array[position++] = (byte) (v >>> 16);
        array[position++] = (byte) (v >>> 8);
        array[position++] = (byte) v;
    }
}
