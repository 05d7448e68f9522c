package dev.parley.pbx.contacts;

import java.util.Objects;

/** A contact's picture: the bytes as uploaded and the type their magic bytes showed. */
public record Picture(PictureType type, byte[] bytes) {
    public Picture {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Picture p && p.type == type && java.util.Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Picture[" + type.mediaType() + ", " + bytes.length + " bytes]";
    }
}
