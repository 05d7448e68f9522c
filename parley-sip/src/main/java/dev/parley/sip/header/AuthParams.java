package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.SipChars;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared grammar of credentials and challenges (RFC 3261 §25.1, RFC 7616 §3.3/§3.4):
 * {@code auth-scheme LWS auth-param *(COMMA auth-param)}, {@code auth-param = token EQUAL ( token / quoted-string )}.
 *
 * <p>Because the parameters are comma-separated, one value ends where a comma is followed by something that is not
 * {@code token "="}: that is the next credentials or challenge of the same header line.
 */
final class AuthParams {
    /** The parameter names of Digest credentials and challenges (RFC 7616 §3.3, §3.4), shared rather than copied. */
    private static final String[] DIGEST_PARAMETERS = {"username", "realm", "nonce", "uri", "response", "algorithm",
        "cnonce", "qop", "nc", "opaque", "stale", "domain", "userhash"};

    private AuthParams() {
    }

    record Scheme(String scheme, Parameters parameters) {
    }

    static Scheme read(Cursor c) {
        String scheme = c.token();
        c.skipWhitespace();
        List<Parameters.Parameter> params = new ArrayList<>(10);
        if (!c.atEnd() && c.peek() != ',') {
            params.add(readParam(c));
            while (true) {
                int saved = c.position();
                if (c.acceptSeparator(',') && startsParam(c)) {
                    params.add(readParam(c));
                } else {
                    c.position(saved);
                    break;
                }
            }
        }
        return new Scheme(scheme, Parameters.of(params));
    }

    private static Parameters.Parameter readParam(Cursor c) {
        String name = c.token(DIGEST_PARAMETERS);
        c.expectSeparator('=');
        String value;
        if (c.peek() == '"') {
            value = c.quotedString();
        } else {
            // token by the grammar; be lenient with unquoted URIs some phones send (uri=sip:a@b)
            int start = c.position();
            while (!c.atEnd() && c.peek() != ',' && !SipChars.isWhitespace(c.peek()) && c.peek() != '"') {
                c.skip(1);
            }
            if (c.position() == start) {
                throw c.error("expected an auth-param value");
            }
            value = c.text().substring(start, c.position());
        }
        return new Parameters.Parameter(name, value);
    }

    private static boolean startsParam(Cursor c) {
        int saved = c.position();
        try {
            return c.skipToken() && c.peekSeparator('=');
        } finally {
            c.position(saved);
        }
    }

    static String write(String scheme, Parameters parameters) {
        StringBuilder sb = new StringBuilder(160).append(scheme);
        boolean first = true;
        for (Parameters.Parameter p : parameters) {
            sb.append(first ? " " : ", ").append(p.name());
            if (p.value() != null) {
                sb.append('=').append(p.value());
            }
            first = false;
        }
        return sb.toString();
    }
}
