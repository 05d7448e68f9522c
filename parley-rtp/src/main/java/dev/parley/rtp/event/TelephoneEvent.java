package dev.parley.rtp.event;

/**
 * The RFC 4733 §2.3 telephone-event payload, read from and written to a byte array in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Event codes 0–9 are the DTMF digits, 10 is "*", 11 is "#", 12–15 are A–D (RFC 4733 §3.2). Volume is the power
 * in -dBm0 (0..63); duration counts RTP timestamp units since the event's timestamp.
 */
public final class TelephoneEvent {
    public static final int LENGTH = 4;
    public static final int STAR = 10;
    public static final int POUND = 11;

    private TelephoneEvent() {
    }

    /** True if {@code length} octets can hold an event (a longer payload may carry more, RFC 4733 §2.5.1.5). */
    public static boolean fits(int length) {
        return length >= LENGTH;
    }

    public static int event(byte[] a, int offset) {
        return a[offset] & 0xFF;
    }

    /** The E bit: this packet reports the end of the event (RFC 4733 §2.5.1.3). */
    public static boolean end(byte[] a, int offset) {
        return (a[offset + 1] & 0x80) != 0;
    }

    public static int volume(byte[] a, int offset) {
        return a[offset + 1] & 0x3F;
    }

    public static int duration(byte[] a, int offset) {
        return (a[offset + 2] & 0xFF) << 8 | (a[offset + 3] & 0xFF);
    }

    /** Writes one event payload at {@code a[offset..]} and returns its length (4); R stays 0 as §2.3 requires. */
    public static int write(byte[] a, int offset, int event, boolean end, int volume, int duration) {
        if (event < 0 || event > 255 || volume < 0 || volume > 63 || duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("event " + event + " (0..255), volume " + volume + " (0..63), duration "
                    + duration + " (0..65535)");
        }
        a[offset] = (byte) event;
        a[offset + 1] = (byte) ((end ? 0x80 : 0) | volume);
        a[offset + 2] = (byte) (duration >>> 8);
        a[offset + 3] = (byte) duration;
        return LENGTH;
    }

    /** The character of a DTMF event code 0..15, or '?' for other events. */
    public static char dtmfCharacter(int event) {
        return event >= 0 && event < 16 ? "0123456789*#ABCD".charAt(event) : '?';
    }
}
