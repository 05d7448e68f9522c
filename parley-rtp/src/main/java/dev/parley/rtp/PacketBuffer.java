package dev.parley.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A packet in a byte array: the bytes {@code array[offset .. offset + length)} with room to grow up to
 * {@code capacity() = array.length - offset}. Every hot-path API of parley-rtp takes one, so a packet is
 * transformed in place: SRTP protection appends its tag into the spare room and unprotection shrinks the length.
 *
 * <p>Mutable and not thread-safe on purpose: the media plane keeps one per socket read and reuses it for every
 * datagram, so the packet path allocates nothing. {@link #toString()} shows the geometry only, never the bytes
 * (an SRTP buffer may hold plaintext media).
 */
public final class PacketBuffer {
    private byte[] array;
    private int offset;
    private int length;

    /** An empty buffer over a new array of {@code capacity} bytes. */
    public PacketBuffer(int capacity) {
        this(new byte[capacity], 0, 0);
    }

    /** A buffer over {@code array[offset .. offset + length)}; the bytes after it up to the array's end are room. */
    public PacketBuffer(byte[] array, int offset, int length) {
        set(array, offset, length);
    }

    /** A buffer holding a copy of {@code bytes} with {@code spare} bytes of room after them. */
    public static PacketBuffer copyOf(byte[] bytes, int spare) {
        byte[] array = Arrays.copyOf(bytes, bytes.length + spare);
        return new PacketBuffer(array, 0, bytes.length);
    }

    /** Points this buffer at another region (no copy). */
    public PacketBuffer set(byte[] array, int offset, int length) {
        Objects.requireNonNull(array, "array");
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** The index just past the packet's last byte. */
    public int end() {
        return offset + length;
    }

    /** How many bytes the packet may grow to: {@code array.length - offset}. */
    public int capacity() {
        return array.length - offset;
    }

    /** Room after the packet: {@code capacity() - length()}. */
    public int spare() {
        return array.length - offset - length;
    }

    /**
     * Sets the packet's length (growing into the room or shrinking). A length outside {@code 0..capacity()} is a
     * programming error, not a network condition, and throws.
     */
    public PacketBuffer length(int newLength) {
        if (newLength < 0 || newLength > capacity()) {
            throw new IllegalArgumentException("length " + newLength + " outside 0.." + capacity());
        }
        this.length = newLength;
        return this;
    }

    /** A copy of the packet's bytes (for tests and the control plane; the packet path never calls it). */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    @Override
    public String toString() {
        return "PacketBuffer[offset=" + offset + ", length=" + length + ", capacity=" + capacity() + "]";
    }
}
