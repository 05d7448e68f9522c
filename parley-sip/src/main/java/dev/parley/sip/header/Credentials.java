package dev.parley.sip.header;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Quoting;
import java.util.Objects;

/**
 * The value of Authorization or Proxy-Authorization (RFC 3261 §20.7, §20.28; RFC 7616 §3.4). Parameter values are
 * kept as written; the accessors remove quotes. A scheme Parley does not know (RFC 4475 §3.3.7) still parses.
 */
public record Credentials(String scheme, Parameters parameters) {
    public Credentials {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(parameters, "parameters");
    }

    public static Credentials parse(String value) {
        return HeaderType.AUTHORIZATION.parseSingle(value);
    }

    static Credentials read(Cursor c) {
        AuthParams.Scheme s = AuthParams.read(c);
        return new Credentials(s.scheme(), s.parameters());
    }

    public boolean isDigest() {
        return Ascii.equalsIgnoreCase(scheme, "Digest");
    }

    public String username() {
        return parameters.unquotedValue("username");
    }

    public String realm() {
        return parameters.unquotedValue("realm");
    }

    public String nonce() {
        return parameters.unquotedValue("nonce");
    }

    public String uri() {
        return parameters.unquotedValue("uri");
    }

    public String response() {
        return parameters.unquotedValue("response");
    }

    public String algorithm() {
        return parameters.unquotedValue("algorithm");
    }

    public String cnonce() {
        return parameters.unquotedValue("cnonce");
    }

    public String opaque() {
        return parameters.unquotedValue("opaque");
    }

    public String qop() {
        return parameters.unquotedValue("qop");
    }

    public String nonceCount() {
        return parameters.unquotedValue("nc");
    }

    /** RFC 7616 §3.4.4: {@code userhash=true} means {@code username} holds a hash, not the name. */
    public boolean userhash() {
        return "true".equalsIgnoreCase(parameters.unquotedValue("userhash"));
    }

    /** Digest credentials with values quoted the way RFC 7616 §3.4 writes them. */
    public static Credentials digest(String username, String realm, String nonce, String uri, String response,
            String algorithm, String cnonce, String qop, String nc, String opaque) {
        Parameters p = Parameters.EMPTY.with("username", Quoting.quote(username)).with("realm", Quoting.quote(realm))
                .with("nonce", Quoting.quote(nonce)).with("uri", Quoting.quote(uri))
                .with("response", Quoting.quote(response));
        if (algorithm != null) {
            p = p.with("algorithm", algorithm);
        }
        if (cnonce != null) {
            p = p.with("cnonce", Quoting.quote(cnonce));
        }
        if (opaque != null) {
            p = p.with("opaque", Quoting.quote(opaque));
        }
        if (qop != null) {
            p = p.with("qop", qop).with("nc", nc);
        }
        return new Credentials("Digest", p);
    }

    @Override
    public String toString() {
        return AuthParams.write(scheme, parameters);
    }
}
