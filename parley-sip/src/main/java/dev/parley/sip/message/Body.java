package dev.parley.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A message body: an immutable array of octets (RFC 3261 §7.4). */
public final class Body {
    public static final Body EMPTY = new Body(new byte[0]);

    private final byte[] bytes;

    private Body(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A body holding a copy of {@code bytes[offset..offset+length)}. */
    public static Body of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new Body(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    public static Body of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    public static Body of(String utf8) {
        return of(utf8.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** Copies the body into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public String toUtf8String() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Body other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Body[" + bytes.length + " bytes]";
    }
}
