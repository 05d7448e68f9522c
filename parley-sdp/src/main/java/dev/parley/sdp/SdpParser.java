package dev.parley.sdp;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.AttributeGrammar;
import dev.parley.sdp.attribute.SdpText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses a session description (RFC 8866) into a {@link SessionDescription}, or says at which line and why it
 * cannot. Never throws for any input: a body comes from the network.
 *
 * <h2>Liberal where real peers are sloppy</h2>
 * <ul>
 *   <li>Lines may end in CRLF or LF alone (RFC 8866 §5 asks parsers to accept LF); empty lines are skipped.</li>
 *   <li>Trailing spaces and tabs are dropped, except on {@code s=}, where {@code "s= "} is the recommended empty
 *       session name.</li>
 *   <li>Session-level and media-level lines may come in any order after {@code v=}; the serializer writes the
 *       order of RFC 8866 §5.</li>
 *   <li>A missing {@code s=} reads as {@code s=-}, a missing {@code t=} as {@code t=0 0} (both mandatory, both
 *       meaningless to a phone system; old gateways omit them).</li>
 *   <li>An {@code m=} line with port 0 may have no formats (some peers reject a stream that way).</li>
 *   <li>Invalid UTF-8 becomes U+FFFD (text fields only ever carry names and descriptions).</li>
 * </ul>
 *
 * <h2>Strict where it matters</h2>
 * <ul>
 *   <li>The first line is {@code v=0}; {@code o=} is present once; a line is {@code <letter>=<value>}; an unknown
 *       type letter refuses the whole description (RFC 8866 §5: a parser "MUST completely ignore or reject" it).</li>
 *   <li>{@code o=}, {@code c=}, {@code b=}, {@code t=} and {@code m=} follow their grammar, with single spaces
 *       between fields; ports are 0..65535; duplicated single lines ({@code o= s= i= u= k=}, session {@code c=})
 *       are errors.</li>
 *   <li>The attributes offer/answer acts on are checked ({@link AttributeGrammar}): a malformed rtpmap, fmtp,
 *       crypto, rtcp, fingerprint, setup, candidate, ... refuses the description rather than quietly changing
 *       what is negotiated.</li>
 *   <li>Bare CR and NUL inside a line are errors; the limits of {@link SdpLimits} apply.</li>
 * </ul>
 */
public final class SdpParser {
    private SdpParser() {
    }

    public static SdpParseResult parse(byte[] body) {
        return parse(body, SdpLimits.DEFAULT);
    }

    public static SdpParseResult parse(byte[] body, SdpLimits limits) {
        if (body.length > limits.maxBytes()) {
            return new SdpParseResult.Malformed(0, "body of " + body.length + " bytes exceeds " + limits.maxBytes());
        }
        return parseText(new String(body, StandardCharsets.UTF_8), limits);
    }

    public static SdpParseResult parse(String text) {
        return parse(text, SdpLimits.DEFAULT);
    }

    public static SdpParseResult parse(String text, SdpLimits limits) {
        // A char is at least one UTF-8 byte: a text longer than the byte limit is over it.
        if (text.length() > limits.maxBytes()) {
            return new SdpParseResult.Malformed(0, "body of " + text.length() + " characters exceeds "
                    + limits.maxBytes() + " bytes");
        }
        return parseText(text, limits);
    }

    private static SdpParseResult parseText(String text, SdpLimits limits) {
        try {
            return new Run(text, limits).run();
        } catch (IllegalArgumentException | IndexOutOfBoundsException bug) {
            // Unreachable when the checks above each constructor are complete; the fuzz test asserts it is never
            // taken. A bug here must not become an exception on the SIP stack's lane.
            return new SdpParseResult.Malformed(0, "internal parser error: " + bug.getClass().getSimpleName());
        }
    }

    /** One parse: the state of the section being read. */
    private static final class Run {
        private final String text;
        private final SdpLimits limits;
        private int lineNo;
        private SessionDescription.Builder session;
        private Origin origin;
        private boolean seenVersion;
        private boolean seenSessionName;
        private String sessionName = "-";
        private boolean seenInformation;
        private boolean seenUri;
        private boolean seenConnection;
        private boolean seenKey;
        private final java.util.List<MediaDescription.Builder> media = new java.util.ArrayList<>();
        private MediaDescription.Builder current;
        private boolean mediaSeenInformation;
        private boolean mediaSeenKey;

        Run(String text, SdpLimits limits) {
            this.text = text;
            this.limits = limits;
            // The origin is filled in when o= is read; a placeholder lets the builder collect lines in any order.
            this.session = SessionDescription.builder(new Origin("-", "0", "0", "IN", "IP4", "0.0.0.0"));
        }

        SdpParseResult run() {
            int pos = 0;
            int n = text.length();
            while (pos < n) {
                int nl = text.indexOf('\n', pos);
                int end = nl < 0 ? n : nl;
                int next = nl < 0 ? n : nl + 1;
                lineNo++;
                if (lineNo > limits.maxLines()) {
                    return error("more than " + limits.maxLines() + " lines");
                }
                if (end - pos > limits.maxLineLength() + 1) {
                    return error("line longer than " + limits.maxLineLength() + " characters");
                }
                String line = text.substring(pos, end);
                pos = next;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.length() > limits.maxLineLength()) {
                    return error("line longer than " + limits.maxLineLength() + " characters");
                }
                if (!SdpText.isLineText(line)) {
                    return error("bare CR or NUL inside a line");
                }
                if (line.isEmpty()) {
                    continue;
                }
                String problem = line(line);
                if (problem != null) {
                    return error(problem);
                }
            }
            if (!seenVersion) {
                return new SdpParseResult.Malformed(0, "empty: no v= line");
            }
            if (origin == null) {
                return new SdpParseResult.Malformed(0, "no o= line");
            }
            SessionDescription.Builder b = session;
            for (MediaDescription.Builder m : media) {
                b.media(m.build());
            }
            return new SdpParseResult.Parsed(b.origin(origin).sessionName(sessionName).build());
        }

        private SdpParseResult error(String reason) {
            return new SdpParseResult.Malformed(lineNo, reason);
        }

        /** Reads one non-empty line; returns the problem, or null. */
        private String line(String raw) {
            if (raw.length() < 2 || raw.charAt(1) != '=' || raw.charAt(0) < 'a' || raw.charAt(0) > 'z') {
                return "not a <type>=<value> line";
            }
            char type = raw.charAt(0);
            String value = type == 's' ? raw.substring(2) : stripTrailing(raw.substring(2));
            if (!seenVersion) {
                if (type != 'v') {
                    return "the first line must be v=";
                }
                seenVersion = true;
                return value.equals("0") ? null : "unsupported SDP version";
            }
            if (type == 'm') {
                return mediaLine(value);
            }
            return current == null ? sessionLine(type, value) : mediaSectionLine(type, value);
        }

        private static String stripTrailing(String s) {
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
                end--;
            }
            return s.substring(0, end);
        }

        private String sessionLine(char type, String value) {
            switch (type) {
                case 'v':
                    return "duplicate v= line";
                case 'o': {
                    if (origin != null) {
                        return "duplicate o= line";
                    }
                    Optional<Origin> o = Origin.parse(value);
                    if (o.isEmpty()) {
                        return "malformed o= line";
                    }
                    origin = o.get();
                    return null;
                }
                case 's':
                    if (seenSessionName) {
                        return "duplicate s= line";
                    }
                    seenSessionName = true;
                    sessionName = value;
                    return null;
                case 'i':
                    if (seenInformation) {
                        return "duplicate i= line";
                    }
                    seenInformation = true;
                    session.information(value);
                    return null;
                case 'u':
                    if (seenUri) {
                        return "duplicate u= line";
                    }
                    seenUri = true;
                    session.uri(value);
                    return null;
                case 'e':
                    session.email(value);
                    return null;
                case 'p':
                    session.phone(value);
                    return null;
                case 'c': {
                    if (seenConnection) {
                        return "duplicate session-level c= line";
                    }
                    seenConnection = true;
                    Optional<Connection> c = Connection.parse(value);
                    if (c.isEmpty()) {
                        return "malformed c= line";
                    }
                    session.connection(c.get());
                    return null;
                }
                case 'b': {
                    Optional<Bandwidth> bw = Bandwidth.parse(value);
                    if (bw.isEmpty()) {
                        return "malformed b= line";
                    }
                    session.bandwidth(bw.get());
                    return null;
                }
                case 't': {
                    List<String> f = SdpText.fields(value);
                    if (f == null || f.size() != 2 || !SdpText.isDigits(f.get(0)) || !SdpText.isDigits(f.get(1))) {
                        return "malformed t= line";
                    }
                    session.timing(new SdpLine('t', value));
                    return null;
                }
                case 'r':
                case 'z':
                    if (value.isEmpty()) {
                        return "empty " + type + "= line";
                    }
                    session.timing(new SdpLine(type, value));
                    return null;
                case 'k':
                    if (seenKey) {
                        return "duplicate k= line";
                    }
                    seenKey = true;
                    session.key(value);
                    return null;
                case 'a': {
                    Object a = attribute(value);
                    if (a instanceof String problem) {
                        return problem;
                    }
                    session.attribute((Attribute) a);
                    return null;
                }
                default:
                    return "unknown line type " + type + "=";
            }
        }

        private String mediaSectionLine(char type, String value) {
            switch (type) {
                case 'i':
                    if (mediaSeenInformation) {
                        return "duplicate i= line in a media section";
                    }
                    mediaSeenInformation = true;
                    current.information(value);
                    return null;
                case 'c': {
                    Optional<Connection> c = Connection.parse(value);
                    if (c.isEmpty()) {
                        return "malformed c= line";
                    }
                    current.connection(c.get());
                    return null;
                }
                case 'b': {
                    Optional<Bandwidth> bw = Bandwidth.parse(value);
                    if (bw.isEmpty()) {
                        return "malformed b= line";
                    }
                    current.bandwidth(bw.get());
                    return null;
                }
                case 'k':
                    if (mediaSeenKey) {
                        return "duplicate k= line in a media section";
                    }
                    mediaSeenKey = true;
                    current.key(value);
                    return null;
                case 'a': {
                    Object a = attribute(value);
                    if (a instanceof String problem) {
                        return problem;
                    }
                    current.attribute((Attribute) a);
                    return null;
                }
                case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z':
                    return type + "= is not allowed in a media section";
                default:
                    return "unknown line type " + type + "=";
            }
        }

        /** {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} (RFC 8866 §5.14). */
        private String mediaLine(String value) {
            if (media.size() >= limits.maxMediaSections()) {
                return "more than " + limits.maxMediaSections() + " media sections";
            }
            List<String> f = SdpText.fields(value);
            if (f == null || f.size() < 3) {
                return "malformed m= line";
            }
            if (!SdpText.isToken(f.get(0))) {
                return "malformed media type in m= line";
            }
            String portText = f.get(1);
            int slash = portText.indexOf('/');
            OptionalInt port = SdpText.parseInt(slash < 0 ? portText : portText.substring(0, slash), 0, 65_535);
            OptionalInt count = slash < 0 ? OptionalInt.of(-1)
                    : SdpText.parseInt(portText.substring(slash + 1), 1, 65_535);
            if (port.isEmpty() || count.isEmpty()) {
                return "malformed port in m= line";
            }
            if (!MediaDescription.isProto(f.get(2))) {
                return "malformed proto in m= line";
            }
            List<String> formats = f.subList(3, f.size());
            if (!formats.stream().allMatch(SdpText::isToken)) {
                return "malformed format in m= line";
            }
            if (formats.isEmpty() && port.getAsInt() != 0) {
                return "m= line without formats";
            }
            current = MediaDescription.builder(f.get(0), port.getAsInt(), f.get(2))
                    .portCount(count.getAsInt()).formats(formats);
            media.add(current);
            mediaSeenInformation = false;
            mediaSeenKey = false;
            return null;
        }

        /** Returns the {@link Attribute} or a problem string. */
        private static Object attribute(String value) {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            if (name.isEmpty()) {
                return "a= line without a name";
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c <= 0x20 || c == 0x7F) {
                    return "malformed attribute name";
                }
            }
            Attribute a = new Attribute(name, colon < 0 ? null : value.substring(colon + 1));
            return AttributeGrammar.problem(a).map(Object.class::cast).orElse(a);
        }
    }
}
