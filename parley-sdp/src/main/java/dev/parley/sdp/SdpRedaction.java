package dev.parley.sdp;

/**
 * Makes SDP text safe to log: the SRTP master keys of {@code a=crypto} (RFC 4568 §6.1: "inline:" key||salt, the
 * only thing standing between a wiretapper and the audio), {@code a=ice-pwd} (RFC 8839 §5.4: lets anyone who
 * reads it pass ICE connectivity checks) and the obsolete {@code k=} become {@code <redacted>}. Works line by line
 * on any text, parsed or not, so the SIP layer can log a body that failed to parse.
 */
public final class SdpRedaction {
    private SdpRedaction() {
    }

    public static final String REDACTED = "<redacted>";

    public static String redact(String sdpText) {
        StringBuilder out = new StringBuilder(sdpText.length());
        int start = 0;
        while (start < sdpText.length()) {
            int nl = sdpText.indexOf('\n', start);
            int end = nl < 0 ? sdpText.length() : nl + 1;
            out.append(redactLine(sdpText.substring(start, end)));
            start = end;
        }
        return out.toString();
    }

    private static String redactLine(String line) {
        int eol = line.length();
        while (eol > 0 && (line.charAt(eol - 1) == '\n' || line.charAt(eol - 1) == '\r')) {
            eol--;
        }
        String body = line.substring(0, eol);
        String ending = line.substring(eol);
        if (body.startsWith("k=")) {
            return "k=" + REDACTED + ending;
        }
        if (body.startsWith("a=ice-pwd:")) {
            return "a=ice-pwd:" + REDACTED + ending;
        }
        if (body.startsWith("a=crypto:")) {
            return redactCrypto(body) + ending;
        }
        return line;
    }

    /**
     * Keeps tag and suite (useful when debugging a negotiation) and replaces everything after each
     * {@code <method>:} of the key-params; the key-params are the third space-separated field, and whatever
     * follows them (session parameters) is dropped too, as it can hold nothing we need in a log.
     */
    private static String redactCrypto(String body) {
        String[] f = body.split(" ", 4);
        if (f.length < 3) {
            return "a=crypto:" + REDACTED;
        }
        StringBuilder b = new StringBuilder(f[0]).append(' ').append(f[1]).append(' ');
        String[] keys = f[2].split(";", -1);
        for (int i = 0; i < keys.length; i++) {
            int colon = keys[i].indexOf(':');
            b.append(i == 0 ? "" : ";").append(colon < 0 ? "" : keys[i].substring(0, colon + 1)).append(REDACTED);
        }
        return b.toString();
    }
}
