package dev.parley.sip.header;

import dev.parley.common.Ascii;
import dev.parley.sip.text.SipChars;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A header field name. Names compare case-insensitively (RFC 3261 §7.3.1), and a compact form such as {@code v}
 * is the same header as {@code Via} (RFC 3261 §7.3.3, RFC 3265, RFC 3515, RFC 4028). Known names are shared
 * constants; the parser finds them straight from the wire bytes without allocating.
 */
public final class HeaderName {
    private static final int TABLE_BITS = 8;
    private static final HeaderName[][] TABLE = new HeaderName[1 << TABLE_BITS][];

    public static final HeaderName ACCEPT = known("Accept", 0);
    public static final HeaderName ACCEPT_CONTACT = known("Accept-Contact", 'a');
    public static final HeaderName ACCEPT_ENCODING = known("Accept-Encoding", 0);
    public static final HeaderName ACCEPT_LANGUAGE = known("Accept-Language", 0);
    public static final HeaderName ALERT_INFO = known("Alert-Info", 0);
    public static final HeaderName ALLOW = known("Allow", 0);
    public static final HeaderName ALLOW_EVENTS = known("Allow-Events", 'u');
    public static final HeaderName AUTHORIZATION = known("Authorization", 0);
    public static final HeaderName CALL_ID = known("Call-ID", 'i');
    public static final HeaderName CALL_INFO = known("Call-Info", 0);
    public static final HeaderName CONTACT = known("Contact", 'm');
    public static final HeaderName CONTENT_DISPOSITION = known("Content-Disposition", 0);
    public static final HeaderName CONTENT_ENCODING = known("Content-Encoding", 'e');
    public static final HeaderName CONTENT_LENGTH = known("Content-Length", 'l');
    public static final HeaderName CONTENT_TYPE = known("Content-Type", 'c');
    public static final HeaderName CSEQ = known("CSeq", 0);
    public static final HeaderName DATE = known("Date", 0);
    public static final HeaderName EVENT = known("Event", 'o');
    public static final HeaderName EXPIRES = known("Expires", 0);
    public static final HeaderName FROM = known("From", 'f');
    public static final HeaderName IDENTITY = known("Identity", 'y');
    public static final HeaderName MAX_FORWARDS = known("Max-Forwards", 0);
    public static final HeaderName MIN_EXPIRES = known("Min-Expires", 0);
    public static final HeaderName MIN_SE = known("Min-SE", 0);
    public static final HeaderName ORGANIZATION = known("Organization", 0);
    public static final HeaderName PATH = known("Path", 0);
    public static final HeaderName PRIORITY = known("Priority", 0);
    public static final HeaderName PROXY_AUTHENTICATE = known("Proxy-Authenticate", 0);
    public static final HeaderName PROXY_AUTHORIZATION = known("Proxy-Authorization", 0);
    public static final HeaderName PROXY_REQUIRE = known("Proxy-Require", 0);
    public static final HeaderName RACK = known("RAck", 0);
    public static final HeaderName REASON = known("Reason", 0);
    public static final HeaderName RECORD_ROUTE = known("Record-Route", 0);
    public static final HeaderName REFER_TO = known("Refer-To", 'r');
    public static final HeaderName REFERRED_BY = known("Referred-By", 'b');
    public static final HeaderName REJECT_CONTACT = known("Reject-Contact", 'j');
    public static final HeaderName REPLACES = known("Replaces", 0);
    public static final HeaderName REPLY_TO = known("Reply-To", 0);
    public static final HeaderName REQUEST_DISPOSITION = known("Request-Disposition", 'd');
    public static final HeaderName REQUIRE = known("Require", 0);
    public static final HeaderName RETRY_AFTER = known("Retry-After", 0);
    public static final HeaderName ROUTE = known("Route", 0);
    public static final HeaderName RSEQ = known("RSeq", 0);
    public static final HeaderName SERVER = known("Server", 0);
    public static final HeaderName SESSION_EXPIRES = known("Session-Expires", 'x');
    public static final HeaderName SUBJECT = known("Subject", 's');
    public static final HeaderName SUBSCRIPTION_STATE = known("Subscription-State", 0);
    public static final HeaderName SUPPORTED = known("Supported", 'k');
    public static final HeaderName TIMESTAMP = known("Timestamp", 0);
    public static final HeaderName TO = known("To", 't');
    public static final HeaderName UNSUPPORTED = known("Unsupported", 0);
    public static final HeaderName USER_AGENT = known("User-Agent", 0);
    public static final HeaderName VIA = known("Via", 'v');
    public static final HeaderName WARNING = known("Warning", 0);
    public static final HeaderName WWW_AUTHENTICATE = known("WWW-Authenticate", 0);

    private final String name;
    private final char compact;
    private final boolean known;
    /** The name's octets in lower case, for {@link #matches}; only for known names. */
    private final byte[] lowerCase;

    private HeaderName(String name, char compact, boolean known) {
        this.name = name;
        this.compact = compact;
        this.known = known;
        this.lowerCase = known ? Ascii.toLowerCase(name).getBytes(StandardCharsets.US_ASCII) : null;
    }

    private static HeaderName known(String name, int compact) {
        HeaderName h = new HeaderName(name, (char) compact, true);
        register(name, h);
        if (compact != 0) {
            register(String.valueOf((char) compact), h);
        }
        return h;
    }

    private static void register(String spelling, HeaderName h) {
        byte[] bytes = spelling.getBytes(StandardCharsets.US_ASCII);
        for (byte b : bytes) {
            if (!Ascii.isLetter((char) b) && b != '-') {
                throw new IllegalStateException("known header names are letters and '-': " + spelling);
            }
        }
        int slot = slot(bytes, 0, bytes.length);
        HeaderName[] bucket = TABLE[slot];
        // spellings that share a slot (a compact letter and its long name may) are told apart by matches()
        HeaderName[] grown = bucket == null ? new HeaderName[1] : Arrays.copyOf(bucket, bucket.length + 1);
        grown[grown.length - 1] = h;
        TABLE[slot] = grown;
    }

    /** The header name for a spelling read from the wire or given by code; compact forms map to the long name. */
    public static HeaderName of(String spelling) {
        HeaderName found = lookup(spelling);
        if (found != null) {
            return found;
        }
        // RFC 3261 §7.3.1: field-name = token; anything else, written as a name, would break the message apart
        if (!SipChars.isToken(spelling)) {
            throw new IllegalArgumentException("header name \"" + spelling + "\" is not a token (RFC 3261 §25.1)");
        }
        return new HeaderName(spelling, (char) 0, false);
    }

    /** A known header name for the spelling in {@code bytes[off..off+len)}, or {@code null}; allocates nothing. */
    public static HeaderName lookup(byte[] bytes, int off, int len) {
        HeaderName[] bucket = TABLE[slot(bytes, off, len)];
        if (bucket == null) {
            return null;
        }
        for (HeaderName candidate : bucket) {
            if (matches(candidate, len, bytes, off)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The table slot of a spelling, from its length and its first and last octets: cheap to compute from the wire
     * bytes, and it spreads the known spellings well (no slot holds more than two of them today). Setting bit
     * 0x20 folds the case of a letter as {@link #matches} does.
     */
    private static int slot(byte[] bytes, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int h = (len * 31 + (bytes[off] | 0x20)) * 31 + (bytes[off + len - 1] | 0x20);
        return (h * 0x9E3779B9) >>> (Integer.SIZE - TABLE_BITS);
    }

    /**
     * Known names are letters and {@code '-'} only. Setting bit 0x20 lower-cases an ASCII letter, leaves {@code '-'}
     * as it is, and turns no other octet into a letter or {@code '-'} but CR (0x0D, into {@code '-'}): so
     * {@code (b | 0x20) == lower && b != '\r'} compares an octet with a known name's character ignoring case.
     */
    private static boolean matches(HeaderName candidate, int len, byte[] bytes, int off) {
        if (len == 1) {
            return candidate.compact != 0 && (bytes[off] | 0x20) == (candidate.compact | 0x20);
        }
        byte[] lower = candidate.lowerCase;
        if (lower.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            byte b = bytes[off + i];
            if ((b | 0x20) != lower[i] || b == '\r') {
                return false;
            }
        }
        return true;
    }

    private static HeaderName lookup(String spelling) {
        byte[] bytes = spelling.getBytes(StandardCharsets.ISO_8859_1);
        return lookup(bytes, 0, bytes.length);
    }

    /** The canonical (long) name: the IANA spelling for known headers, as written for unknown ones. */
    public String name() {
        return name;
    }

    /** The compact form letter, or {@code 0} when the header has none. */
    public char compactForm() {
        return compact;
    }

    /** True for the headers Parley knows by name. */
    public boolean isKnown() {
        return known;
    }

    /**
     * Known names are one constant each: every spelling of them, compact forms included, resolves to it, and an
     * unknown name is made only for a spelling that is none of them. So a known name equals only itself, and only
     * two unknown names need comparing character by character.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (!known && o instanceof HeaderName other && !other.known
                && Ascii.equalsIgnoreCase(name, other.name));
    }

    @Override
    public int hashCode() {
        return Ascii.hashCodeIgnoreCase(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
