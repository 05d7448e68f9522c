package dev.parley.sip.uri;

/**
 * A URI as SIP carries it in a Request-URI or a name-addr: {@code sip:} and {@code sips:} ({@link SipUri}),
 * {@code tel:} ({@link TelUri}), or any other scheme kept opaque ({@link AbsoluteUri}).
 *
 * <p>{@code equals} is structural: the parts as parsed, escapes as written. {@link #equivalentTo} is the protocol's
 * comparison, which is what routing, registrar bindings and dialog matching need.
 */
public sealed interface Uri permits SipUri, TelUri, AbsoluteUri {
    /** The scheme in lower case: {@code "sip"}, {@code "sips"}, {@code "tel"} or the other scheme. */
    String scheme();

    /** Appends the canonical wire form (scheme in lower case, everything else as parsed); same as toString(). */
    void appendTo(StringBuilder out);

    /**
     * The scheme's own comparison: RFC 3261 §19.1.4 for {@code sip}/{@code sips}, RFC 3966 §4 for {@code tel};
     * other schemes are equivalent when the scheme matches and the rest is identical. URIs of different schemes
     * are never equivalent.
     */
    boolean equivalentTo(Uri other);

    /**
     * Parses one URI that must fill the whole string.
     *
     * @throws dev.parley.sip.text.SipSyntaxException when it does not follow its scheme's grammar
     */
    static Uri parse(String text) {
        return UriParser.parse(text, 0, text.length());
    }
}
