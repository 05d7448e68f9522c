package dev.parley.sdp.attribute;

import java.util.Optional;

/**
 * The direction attributes of RFC 8866 §6.7 / RFC 3264 §5.1, written from the point of view of whoever wrote the
 * SDP: {@code SENDONLY} in Parley's SDP means Parley sends and does not expect media back. Maps one to one to
 * {@code dev.parley.mediaapi.Direction}.
 */
public enum MediaDirection {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String attributeName;

    MediaDirection(String attributeName) {
        this.attributeName = attributeName;
    }

    /** The property attribute itself, e.g. {@code sendonly}. */
    public String attributeName() {
        return attributeName;
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The same direction seen from the other end: sendonly becomes recvonly (RFC 3264 §6.1). */
    public MediaDirection reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** What both this and {@code other} allow: sending only if both send, receiving only if both receive. */
    public MediaDirection intersect(MediaDirection other) {
        return of(sends() && other.sends(), receives() && other.receives());
    }

    public static MediaDirection of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? SENDRECV : SENDONLY;
        }
        return receives ? RECVONLY : INACTIVE;
    }

    /** The direction a property attribute names, if it names one (attribute names are case-sensitive). */
    public static Optional<MediaDirection> fromAttributeName(String name) {
        for (MediaDirection d : values()) {
            if (d.attributeName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
