package dev.parley.sip.uri;

/**
 * A URI of a scheme other than sip, sips and tel, kept opaque: {@code http:}, {@code urn:}, {@code mailto:},
 * {@code soap.beep:} or a scheme nobody knows (RFC 4475 §3.3.2). SIP carries these in Call-Info, Alert-Info and
 * name-addrs; a request whose Request-URI is one gets 416 (RFC 3261 §8.2.2.1), which is the caller's decision.
 */
public final class AbsoluteUri implements Uri {
    private final String scheme;
    private final String schemeSpecificPart;

    AbsoluteUri(String scheme, String schemeSpecificPart) {
        this.scheme = scheme;
        this.schemeSpecificPart = schemeSpecificPart;
    }

    /** The scheme in lower case (RFC 3986 §3.1: schemes are case-insensitive). */
    @Override
    public String scheme() {
        return scheme;
    }

    /** Everything after the first colon, exactly as written. */
    public String schemeSpecificPart() {
        return schemeSpecificPart;
    }

    /** Same scheme and an identical rest: the rules of schemes this stack does not know are not applied. */
    @Override
    public boolean equivalentTo(Uri other) {
        return equals(other);
    }

    @Override
    public void appendTo(StringBuilder out) {
        out.append(scheme).append(':').append(schemeSpecificPart);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof AbsoluteUri that && scheme.equals(that.scheme)
                && schemeSpecificPart.equals(that.schemeSpecificPart);
    }

    @Override
    public int hashCode() {
        return scheme.hashCode() * 31 + schemeSpecificPart.hashCode();
    }

    @Override
    public String toString() {
        return scheme + ':' + schemeSpecificPart;
    }
}
