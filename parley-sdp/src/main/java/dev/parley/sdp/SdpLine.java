package dev.parley.sdp;

import dev.parley.sdp.attribute.SdpText;

/**
 * A line kept as written, for the fields Parley does not interpret: {@code t=}, {@code r=}, {@code z=} (timing,
 * RFC 8866 §5.9–5.11; offer/answer copies them, RFC 3264 §5) and {@code k=} (obsolete, §5.12).
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        if (type < 'a' || type > 'z' || !SdpText.isLineText(value)) {
            throw new IllegalArgumentException("malformed SDP line");
        }
    }

    public String text() {
        return type + "=" + value;
    }

    @Override
    public String toString() {
        // RFC 8866 §5.12: k= may carry a clear-text key.
        return type == 'k' ? "k=<redacted>" : text();
    }
}
