package dev.parley.sdp;

import dev.parley.sdp.attribute.Attribute;

/**
 * Writes a session description in the order of RFC 8866 §5 ({@code v o s i u e p c b t r z k a}, then each media
 * section {@code m i c b k a}), one CRLF after every line. Values are written as the model holds them, so a
 * description parsed from well-formed input comes back byte for byte.
 */
public final class SdpSerializer {
    private SdpSerializer() {
    }

    public static String serialize(SessionDescription s) {
        StringBuilder b = new StringBuilder(512 + 256 * s.media().size());
        line(b, 'v', "0");
        line(b, 'o', s.origin().value());
        line(b, 's', s.sessionName());
        s.information().ifPresent(v -> line(b, 'i', v));
        s.uri().ifPresent(v -> line(b, 'u', v));
        s.emails().forEach(v -> line(b, 'e', v));
        s.phones().forEach(v -> line(b, 'p', v));
        s.connection().ifPresent(c -> line(b, 'c', c.value()));
        s.bandwidths().forEach(bw -> line(b, 'b', bw.value()));
        s.timing().forEach(t -> line(b, t.type(), t.value()));
        s.key().ifPresent(v -> line(b, 'k', v));
        for (Attribute a : s.attributes()) {
            attribute(b, a);
        }
        for (MediaDescription m : s.media()) {
            writeMedia(m, b);
        }
        return b.toString();
    }

    static void writeMedia(MediaDescription m, StringBuilder b) {
        b.append("m=").append(m.media()).append(' ').append(m.port());
        if (m.portCount() >= 0) {
            b.append('/').append(m.portCount());
        }
        b.append(' ').append(m.proto());
        for (String f : m.formats()) {
            b.append(' ').append(f);
        }
        b.append("\r\n");
        m.information().ifPresent(v -> line(b, 'i', v));
        m.connections().forEach(c -> line(b, 'c', c.value()));
        m.bandwidths().forEach(bw -> line(b, 'b', bw.value()));
        m.key().ifPresent(v -> line(b, 'k', v));
        for (Attribute a : m.attributes()) {
            attribute(b, a);
        }
    }

    /** {@code a=} and {@link Attribute#line()}, appended in place (no string per attribute). */
    private static void attribute(StringBuilder b, Attribute a) {
        b.append("a=").append(a.name());
        if (a.value() != null) {
            b.append(':').append(a.value());
        }
        b.append("\r\n");
    }

    private static void line(StringBuilder b, char type, String value) {
        b.append(type).append('=').append(value).append("\r\n");
    }
}
