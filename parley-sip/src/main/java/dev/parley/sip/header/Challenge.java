package dev.parley.sip.header;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Quoting;
import java.util.Objects;

/** The value of WWW-Authenticate or Proxy-Authenticate (RFC 3261 §20.27, §20.44; RFC 7616 §3.3). */
public record Challenge(String scheme, Parameters parameters) {
    public Challenge {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(parameters, "parameters");
    }

    public static Challenge parse(String value) {
        return HeaderType.WWW_AUTHENTICATE.parseSingle(value);
    }

    static Challenge read(Cursor c) {
        AuthParams.Scheme s = AuthParams.read(c);
        return new Challenge(s.scheme(), s.parameters());
    }

    /**
     * A Digest challenge written in a fixed parameter order, so that two challenges differ only in their values
     * (the registrar relies on this to answer known and unknown users alike).
     */
    public static Challenge digest(String realm, String nonce, String algorithm, String qop, String opaque,
            boolean stale) {
        Parameters p = Parameters.EMPTY.with("realm", Quoting.quote(realm)).with("nonce", Quoting.quote(nonce));
        if (opaque != null) {
            p = p.with("opaque", Quoting.quote(opaque));
        }
        if (stale) {
            p = p.with("stale", "true");
        }
        p = p.with("algorithm", algorithm);
        if (qop != null) {
            p = p.with("qop", Quoting.quote(qop));
        }
        return new Challenge("Digest", p);
    }

    public boolean isDigest() {
        return Ascii.equalsIgnoreCase(scheme, "Digest");
    }

    public String realm() {
        return parameters.unquotedValue("realm");
    }

    public String nonce() {
        return parameters.unquotedValue("nonce");
    }

    public String algorithm() {
        return parameters.unquotedValue("algorithm");
    }

    public String qop() {
        return parameters.unquotedValue("qop");
    }

    public String opaque() {
        return parameters.unquotedValue("opaque");
    }

    public boolean stale() {
        return "true".equalsIgnoreCase(parameters.unquotedValue("stale"));
    }

    @Override
    public String toString() {
        return AuthParams.write(scheme, parameters);
    }
}
