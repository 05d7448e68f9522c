package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Quoting;
import dev.parley.sip.text.SipChars;
import dev.parley.sip.uri.Uri;
import dev.parley.sip.uri.UriParser;
import java.util.Objects;

/**
 * A name-addr or addr-spec with header parameters: the value of From, To, Contact, Route, Record-Route, Path,
 * Refer-To and Referred-By (RFC 3261 §20.10, §20.20, §20.39).
 *
 * <p>RFC 3261 §20.10: when the URI is not in angle brackets, everything after the first semicolon is a header
 * parameter, and a URI holding a comma, question mark or semicolon must be bracketed. This class therefore always
 * writes the bracketed form. {@code Contact: *} is the {@link #WILDCARD}.
 *
 * @param displayName the display name without quotes or escapes, or {@code null} when there is none
 * @param uri the address; {@code null} only for the wildcard
 * @param parameters header parameters (tag, expires, q, lr on Route is a URI parameter and lives in the URI)
 */
public record Address(String displayName, Uri uri, Parameters parameters) {

    /** {@code Contact: *} of a REGISTER that removes every binding (RFC 3261 §10.2.2). */
    public static final Address WILDCARD = new Address(null, null, Parameters.EMPTY);

    public Address {
        Objects.requireNonNull(parameters, "parameters");
    }

    public static Address of(Uri uri) {
        return new Address(null, Objects.requireNonNull(uri, "uri"), Parameters.EMPTY);
    }

    public static Address of(String displayName, Uri uri) {
        return new Address(displayName, Objects.requireNonNull(uri, "uri"), Parameters.EMPTY);
    }

    public static Address parse(String value) {
        return HeaderType.FROM.parseSingle(value);
    }

    public boolean isWildcard() {
        return uri == null;
    }

    public String tag() {
        return parameters.value("tag");
    }

    public Address withTag(String tag) {
        return withParameter("tag", tag);
    }

    public Address withParameter(String name, String value) {
        return new Address(displayName, uri, parameters.with(name, value));
    }

    public Address withUri(Uri newUri) {
        return new Address(displayName, Objects.requireNonNull(newUri, "uri"), parameters);
    }

    /** A Contact value: an address or {@code *}. */
    static Address readContact(Cursor c) {
        if (c.peek() == '*') {
            c.skip(1);
            return WILDCARD;
        }
        return read(c);
    }

    /** A Route, Record-Route or Path value: name-addr only (RFC 3261 §20.30, §20.34). */
    static Address readNameAddr(Cursor c) {
        return read(c, true);
    }

    /** ( name-addr / addr-spec ) *( SEMI generic-param ). */
    static Address read(Cursor c) {
        return read(c, false);
    }

    private static Address read(Cursor c, boolean nameAddrOnly) {
        String displayName = null;
        if (c.peek() == '"') {
            displayName = Quoting.unquote(c.quotedString());
            c.skipWhitespace();
            if (c.peek() != '<') {
                throw c.error("expected '<' after the display name");
            }
        } else if (c.peek() != '<' && tokensThenAngle(c)) {
            // display-name = *(token LWS): tokens separated by whitespace, kept as written between them
            int start = c.position();
            while (c.peek() != '<') {
                c.skip(1);
            }
            displayName = c.text().substring(start, c.position()).strip();
        }
        Uri uri;
        if (c.accept('<')) {
            int start = c.position();
            int end = c.text().indexOf('>', start);
            if (end < 0 || end >= c.end()) {
                throw c.error("missing '>'");
            }
            uri = UriParser.parse(c.text(), start, end);
            c.position(end + 1);
        } else {
            // RFC 3261 §20.30, §20.34: route-param = name-addr; unbracketed, ";lr" would be read as a header param
            if (nameAddrOnly) {
                throw c.error("expected '<': a route must be a name-addr");
            }
            uri = readAddrSpec(c);
        }
        return new Address(displayName, uri, c.headerParameters());
    }

    /** True when the text ahead is {@code token *(LWS token) [LWS] "<"}: a display name without quotes. */
    private static boolean tokensThenAngle(Cursor c) {
        String t = c.text();
        for (int i = c.position(); i < c.end(); i++) {
            char ch = t.charAt(i);
            if (ch == '<') {
                return i > c.position();
            }
            if (!SipChars.isToken(ch) && !SipChars.isWhitespace(ch)) {
                return false;
            }
        }
        return false;
    }

    /** An addr-spec outside angle brackets ends at the first semicolon, comma or whitespace (RFC 3261 §20.10). */
    private static Uri readAddrSpec(Cursor c) {
        String t = c.text();
        int start = c.position();
        int end = start;
        while (end < c.end()) {
            char ch = t.charAt(end);
            if (ch == ';' || ch == ',' || ch == ' ' || ch == '\t') {
                break;
            }
            if (ch == '?') {
                throw c.error("an addr-spec with headers must be in angle brackets");
            }
            end++;
        }
        if (end == start) {
            throw c.error("expected an address");
        }
        Uri uri = UriParser.parse(t, start, end);
        c.position(end);
        return uri;
    }

    @Override
    public String toString() {
        if (uri == null) {
            return "*";
        }
        StringBuilder sb = new StringBuilder(64);
        if (displayName != null) {
            sb.append(Quoting.quote(displayName)).append(' ');
        }
        sb.append('<');
        uri.appendTo(sb);
        sb.append('>');
        parameters.appendTo(sb, ';');
        return sb.toString();
    }
}
