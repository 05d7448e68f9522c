package dev.parley.sip.uri;

import dev.parley.common.Ascii;
import dev.parley.sip.text.Parameters;
import dev.parley.sip.text.Parameters.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code sip:} or {@code sips:} URI (RFC 3261 §19.1): immutable, parts kept as written so that serializing gives
 * back the same text, save the scheme in lower case.
 *
 * <pre>
 * sip:alice:secret@atlanta.example.com:5060;transport=tcp;lr?subject=project%20x&amp;priority=urgent
 *     \___/ \____/ \_________________/ \__/ \_______________/ \____________________________________/
 *     user password        host        port    parameters                   headers
 * </pre>
 *
 * <p>{@link #user()} and {@link #password()} resolve escapes (octets read as UTF-8); the {@code raw*} accessors,
 * {@link #parameters()} and {@link #headers()} keep them. Made by {@link UriParser} or {@link #builder()}; the
 * {@code with*} methods return modified copies.
 *
 * <p>{@link #equals} is structural (scheme, raw user and password, host text, port, parameters in order with
 * names ignoring case, headers in order), so a URI equals its own re-parsed serialization.
 * {@link #equivalentTo} applies RFC 3261 §19.1.4.
 */
public final class SipUri implements Uri {
    private final boolean secure;
    private final String rawUser;
    private final String rawPassword;
    private final Host host;
    private final int port;
    private final Parameters parameters;
    private final Parameters headers;
    /** Whether some parameter name holds an escape, so lookups by name must resolve escapes. */
    private final boolean escapedNames;
    /** {@link #user()}, decoded on first use; racy but benign, as for String.hash. */
    private String user;

    SipUri(boolean secure, String rawUser, String rawPassword, Host host, int port, Parameters parameters,
            Parameters headers) {
        this.secure = secure;
        this.rawUser = rawUser;
        this.rawPassword = rawUser == null ? null : rawPassword;
        this.host = host;
        this.port = port;
        this.parameters = parameters;
        this.headers = headers;
        boolean escaped = false;
        for (int i = 0; i < parameters.size(); i++) {
            escaped |= parameters.get(i).name().indexOf('%') >= 0;
        }
        this.escapedNames = escaped;
    }

    /** A builder for a URI made from code (checks each part against the grammar). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Escapes a user name for the user part: characters RFC 3261 §25.1 does not allow raw there, and {@code %},
     * become {@code %HH} escapes of their UTF-8 octets ({@code "alice smith"} → {@code "alice%20smith"}).
     */
    public static String escapeUser(String user) {
        return Escapes.encode(user, Escapes.Component.USER);
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** True for {@code sips:}. */
    public boolean secure() {
        return secure;
    }

    /** The user with escapes resolved ({@code %00} kept as U+0000), or {@code null} without userinfo. */
    public String user() {
        String u = user;
        if (u == null && rawUser != null) {
            u = Escapes.decode(rawUser);
            user = u;
        }
        return u;
    }

    /** The user as written, escapes kept, or {@code null}. */
    public String rawUser() {
        return rawUser;
    }

    /** The password with escapes resolved, or {@code null} when absent. */
    public String password() {
        return Escapes.decode(rawPassword);
    }

    /** The password as written, or {@code null}. */
    public String rawPassword() {
        return rawPassword;
    }

    public Host host() {
        return host;
    }

    /** The port, or -1 when absent (which is not the same as 5060 for RFC 3261 §19.1.4). */
    public int port() {
        return port;
    }

    /** The uri-parameters in order, names and values as written. */
    public Parameters parameters() {
        return parameters;
    }

    /** The headers of the {@code ?name=value&...} part in order, names and values as written. */
    public Parameters headers() {
        return headers;
    }

    /** The {@code transport} parameter with escapes resolved, or {@code null}. */
    public String transport() {
        return decodedParameter("transport");
    }

    /** The {@code user} parameter ({@code phone}, {@code ip}, ...), or {@code null}. */
    public String userParam() {
        return decodedParameter("user");
    }

    /** The {@code maddr} parameter, or {@code null}. */
    public String maddr() {
        return decodedParameter("maddr");
    }

    /** The {@code method} parameter, or {@code null}. */
    public String method() {
        return decodedParameter("method");
    }

    /** True when the {@code lr} parameter is present (RFC 3261 §19.1.1: loose routing). */
    public boolean lr() {
        return find(parameters, "lr", escapedNames) != null;
    }

    private String decodedParameter(String name) {
        Parameter p = find(parameters, name, escapedNames);
        return p == null ? null : Escapes.decode(p.value());
    }

    /** The first parameter named {@code name}, escapes in names resolved when {@code escaped}. */
    private static Parameter find(Parameters list, String name, boolean escaped) {
        if (list.isEmpty()) {
            return null;
        }
        for (Parameter p : list) {
            if (escaped ? Escapes.equalsDecoded(p.name(), name, true) : Ascii.equalsIgnoreCase(p.name(), name)) {
                return p;
            }
        }
        return null;
    }

    /** A copy with this raw (escaped) user; {@code null} removes the userinfo, password included. */
    public SipUri withUser(String rawUser) {
        if (rawUser != null) {
            Builder.require(!rawUser.isEmpty() && Escapes.isValid(rawUser, Escapes.Component.USER), "user", rawUser);
        }
        return new SipUri(secure, rawUser, rawPassword, host, port, parameters, headers);
    }

    public SipUri withHost(Host host) {
        return new SipUri(secure, rawUser, rawPassword, Objects.requireNonNull(host, "host"), port, parameters,
                headers);
    }

    /** A copy with this port; -1 removes it. */
    public SipUri withPort(int port) {
        Builder.require(port >= -1 && port <= 65535, "port", Integer.toString(port));
        return new SipUri(secure, rawUser, rawPassword, host, port, parameters, headers);
    }

    /** A copy with {@code sip:} or {@code sips:}. */
    public SipUri withSecure(boolean secure) {
        return new SipUri(secure, rawUser, rawPassword, host, port, parameters, headers);
    }

    /**
     * A copy with the uri-parameter set, replacing the first of that name or appended; {@code value} is raw
     * (escaped) text, or {@code null} for a flag such as {@code lr}.
     */
    public SipUri withParameter(String name, String value) {
        Builder.checkParameter(name, value);
        return new SipUri(secure, rawUser, rawPassword, host, port, parameters.with(name, value), headers);
    }

    /** A copy without any uri-parameter of that name (names as written, ignoring case). */
    public SipUri withoutParameter(String name) {
        Parameters kept = parameters.without(name);
        return kept == parameters ? this : new SipUri(secure, rawUser, rawPassword, host, port, kept, headers);
    }

    /** A copy without the {@code ?headers} part, as a Request-URI or a registered Contact must be sent. */
    public SipUri withoutHeaders() {
        return headers.isEmpty() ? this
                : new SipUri(secure, rawUser, rawPassword, host, port, parameters, Parameters.EMPTY);
    }

    /**
     * RFC 3261 §19.1.4, which is deliberately not transitive:
     * <ul>
     *   <li>sip and sips never match;</li>
     *   <li>user and password compare case-sensitively, everything else ignoring case, and escapes equal the
     *       characters they stand for;</li>
     *   <li>hosts compare as {@link Host#equals} (no name is resolved); an absent port differs from 5060;</li>
     *   <li>{@code user}, {@code ttl}, {@code method}, {@code maddr} and {@code transport} parameters must be in
     *       both or neither; any other parameter is compared only when it is in both;</li>
     *   <li>headers must be in both, each matching, in any order.</li>
     * </ul>
     */
    @Override
    public boolean equivalentTo(Uri other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SipUri that) || secure != that.secure || port != that.port) {
            return false;
        }
        // "comparison of the userinfo of SIP and SIPS URIs is case-sensitive"
        if (!Escapes.equalsDecoded(rawUser, that.rawUser, false)
                || !Escapes.equalsDecoded(rawPassword, that.rawPassword, false)
                || !host.equals(that.host)) {
            return false;
        }
        // "A user, ttl, or method uri-parameter appearing in only one URI never matches, even if it contains the
        // default value"; "a URI that includes an maddr parameter will not match a URI that contains no maddr
        // parameter"; transport likewise, as the section's own examples show (sip:bob@biloxi.com versus
        // sip:bob@biloxi.com;transport=udp "can resolve to different transports")
        if (!presentInBoth("user", that) || !presentInBoth("ttl", that) || !presentInBoth("method", that)
                || !presentInBoth("maddr", that) || !presentInBoth("transport", that)) {
            return false;
        }
        // "Any uri-parameter appearing in both URIs must match"; the rest are ignored
        if (!sharedParametersMatch(this, that) || !sharedParametersMatch(that, this)) {
            return false;
        }
        // "URI header components are never ignored ... MUST be present in both URIs and match"
        return headersMatch(that);
    }

    private boolean presentInBoth(String name, SipUri that) {
        return (find(parameters, name, escapedNames) == null) == (find(that.parameters, name, that.escapedNames)
                == null);
    }

    private static boolean sharedParametersMatch(SipUri a, SipUri b) {
        if (a.parameters.isEmpty() || b.parameters.isEmpty()) {
            return true;
        }
        boolean escaped = a.escapedNames || b.escapedNames;
        for (Parameter p : a.parameters) {
            if (find(a.parameters, p.name(), escaped) != p) {
                continue; // a repeated name: like every lookup, comparison uses the first of that name
            }
            Parameter q = find(b.parameters, p.name(), escaped);
            if (q != null && !(p.value() == null ? q.value() == null
                    : q.value() != null && Escapes.equalsDecoded(p.value(), q.value(), true))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same headers as a multiset: names ignoring case, values exactly once escapes are resolved (the
     * per-header rules of RFC 3261 §20 are beyond a URI's reach; §19.1.4's example compares Subject values).
     */
    private boolean headersMatch(SipUri that) {
        if (headers.size() != that.headers.size()) {
            return false;
        }
        for (Parameter h : headers) {
            if (count(headers, h) != count(that.headers, h)) {
                return false;
            }
        }
        return true;
    }

    private static int count(Parameters list, Parameter h) {
        int n = 0;
        for (Parameter p : list) {
            if (Escapes.equalsDecoded(p.name(), h.name(), true) && Escapes.equalsDecoded(p.value(), h.value(), false)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void appendTo(StringBuilder out) {
        out.append(secure ? "sips:" : "sip:");
        if (rawUser != null) {
            out.append(rawUser);
            if (rawPassword != null) {
                out.append(':').append(rawPassword);
            }
            out.append('@');
        }
        out.append(host.text());
        if (port >= 0) {
            out.append(':').append(port);
        }
        parameters.appendTo(out, ';');
        char separator = '?';
        for (Parameter h : headers) {
            out.append(separator).append(h.name()).append('=').append(h.value());
            separator = '&';
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof SipUri that && secure == that.secure && port == that.port
                && Objects.equals(rawUser, that.rawUser) && Objects.equals(rawPassword, that.rawPassword)
                && host.text().equals(that.host.text()) && parameters.equals(that.parameters)
                && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        int h = Boolean.hashCode(secure);
        h = 31 * h + Objects.hashCode(rawUser);
        h = 31 * h + Objects.hashCode(rawPassword);
        h = 31 * h + host.text().hashCode();
        h = 31 * h + port;
        h = 31 * h + parameters.hashCode();
        return 31 * h + headers.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        appendTo(sb);
        return sb.toString();
    }

    /**
     * Assembles a URI from code. Parts are raw (escaped) text, checked against RFC 3261 §25.1 as they are set;
     * a part that does not fit is a programming error and throws {@link IllegalArgumentException}. Use
     * {@link SipUri#escapeUser} for a user name that may hold reserved characters.
     */
    public static final class Builder {
        private boolean secure;
        private String rawUser;
        private String rawPassword;
        private Host host;
        private int port = -1;
        private final List<Parameter> parameters = new ArrayList<>(4);
        private final List<Parameter> headers = new ArrayList<>(2);

        private Builder() {
        }

        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** The raw (escaped) user, or {@code null} for none. */
        public Builder user(String rawUser) {
            if (rawUser != null) {
                require(!rawUser.isEmpty() && Escapes.isValid(rawUser, Escapes.Component.USER), "user", rawUser);
            }
            this.rawUser = rawUser;
            return this;
        }

        /** The raw (escaped) password, or {@code null} for none; only written when there is a user. */
        public Builder password(String rawPassword) {
            if (rawPassword != null) {
                require(Escapes.isValid(rawPassword, Escapes.Component.PASSWORD), "password", rawPassword);
            }
            this.rawPassword = rawPassword;
            return this;
        }

        public Builder host(Host host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** A host name, IPv4 address or bracketed IPv6 reference; see {@link Host#parse(String)}. */
        public Builder host(String host) {
            try {
                return host(Host.parse(host));
            } catch (dev.parley.sip.text.SipSyntaxException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }

        /** The port, or -1 for none. */
        public Builder port(int port) {
            require(port >= -1 && port <= 65535, "port", Integer.toString(port));
            this.port = port;
            return this;
        }

        /** Appends a uri-parameter; {@code value} is raw text or {@code null} for a flag. */
        public Builder parameter(String name, String value) {
            checkParameter(name, value);
            parameters.add(new Parameter(name, value));
            return this;
        }

        /** Appends a header of the {@code ?name=value} part; both raw (escaped) text. */
        public Builder header(String name, String value) {
            require(!name.isEmpty() && Escapes.isValid(name, Escapes.Component.HEADER), "header name", name);
            require(Escapes.isValid(value, Escapes.Component.HEADER), "header value", value);
            headers.add(new Parameter(name, value));
            return this;
        }

        public SipUri build() {
            if (host == null) {
                throw new IllegalStateException("a SIP URI needs a host: call host(...) before build()");
            }
            return new SipUri(secure, rawUser, rawPassword, host, port, Parameters.of(parameters),
                    Parameters.of(headers));
        }

        static void checkParameter(String name, String value) {
            require(!name.isEmpty() && Escapes.isValid(name, Escapes.Component.PARAMETER), "parameter name", name);
            if (value != null) {
                require(!value.isEmpty() && Escapes.isValid(value, Escapes.Component.PARAMETER), "parameter value",
                        value);
            }
        }

        static void require(boolean valid, String what, String value) {
            if (!valid) {
                throw new IllegalArgumentException("invalid SIP URI " + what + " \"" + value
                        + "\": escape characters RFC 3261 §25.1 does not allow there as %HH");
            }
        }
    }
}
