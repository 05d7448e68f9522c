package dev.parley.sip.header;

import dev.parley.sip.text.Cursor;
import dev.parley.sip.text.SipChars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to read one header's value into a typed value: which name, the grammar of one element, and whether the
 * header is a comma-separated list (RFC 3261 §7.3.1: {@code Via: a, b} is the same as two Via lines).
 *
 * @param <T> the typed value of one element
 */
public final class HeaderType<T> {
    /** Largest delta-seconds and sequence numbers SIP allows: a 32-bit unsigned integer (RFC 3261 §20.16). */
    public static final long MAX_UINT32 = 0xFFFF_FFFFL;

    public static final HeaderType<Via> VIA = list(HeaderName.VIA, Via::read);
    public static final HeaderType<Address> FROM = single(HeaderName.FROM, Address::read);
    public static final HeaderType<Address> TO = single(HeaderName.TO, Address::read);
    public static final HeaderType<Address> CONTACT = list(HeaderName.CONTACT, Address::readContact);
    public static final HeaderType<String> CALL_ID = single(HeaderName.CALL_ID, HeaderType::readCallId);
    public static final HeaderType<CSeq> CSEQ = single(HeaderName.CSEQ, CSeq::read);
    public static final HeaderType<Long> MAX_FORWARDS = single(HeaderName.MAX_FORWARDS, c -> c.number(255));
    public static final HeaderType<Address> ROUTE = list(HeaderName.ROUTE, Address::readNameAddr);
    public static final HeaderType<Address> RECORD_ROUTE = list(HeaderName.RECORD_ROUTE, Address::readNameAddr);
    public static final HeaderType<Address> PATH = list(HeaderName.PATH, Address::readNameAddr);
    public static final HeaderType<MediaType> CONTENT_TYPE = single(HeaderName.CONTENT_TYPE, MediaType::read);
    public static final HeaderType<Long> CONTENT_LENGTH = single(HeaderName.CONTENT_LENGTH, c -> c.number(MAX_UINT32));
    public static final HeaderType<Long> EXPIRES = single(HeaderName.EXPIRES, c -> c.number(MAX_UINT32));
    public static final HeaderType<Long> MIN_EXPIRES = single(HeaderName.MIN_EXPIRES, c -> c.number(MAX_UINT32));
    public static final HeaderType<Credentials> AUTHORIZATION = list(HeaderName.AUTHORIZATION, Credentials::read);
    public static final HeaderType<Credentials> PROXY_AUTHORIZATION =
            list(HeaderName.PROXY_AUTHORIZATION, Credentials::read);
    public static final HeaderType<Challenge> WWW_AUTHENTICATE = list(HeaderName.WWW_AUTHENTICATE, Challenge::read);
    public static final HeaderType<Challenge> PROXY_AUTHENTICATE =
            list(HeaderName.PROXY_AUTHENTICATE, Challenge::read);
    public static final HeaderType<String> REQUIRE = list(HeaderName.REQUIRE, Cursor::token);
    public static final HeaderType<String> PROXY_REQUIRE = list(HeaderName.PROXY_REQUIRE, Cursor::token);
    // RFC 3261 §20.37, §20.5: Supported and Allow may be empty ("HCOLON [option-tag *(COMMA option-tag)]")
    public static final HeaderType<String> SUPPORTED = optionalList(HeaderName.SUPPORTED, Cursor::token);
    public static final HeaderType<String> UNSUPPORTED = list(HeaderName.UNSUPPORTED, Cursor::token);
    public static final HeaderType<String> ALLOW = optionalList(HeaderName.ALLOW, Cursor::token);
    public static final HeaderType<String> ALLOW_EVENTS = list(HeaderName.ALLOW_EVENTS, Cursor::token);
    public static final HeaderType<Long> RSEQ = single(HeaderName.RSEQ, c -> c.number(MAX_UINT32));
    public static final HeaderType<RAck> RACK = single(HeaderName.RACK, RAck::read);
    public static final HeaderType<CallInfo> CALL_INFO = list(HeaderName.CALL_INFO, CallInfo::read);
    public static final HeaderType<EventHeader> EVENT = single(HeaderName.EVENT, EventHeader::read);
    public static final HeaderType<SubscriptionState> SUBSCRIPTION_STATE =
            single(HeaderName.SUBSCRIPTION_STATE, SubscriptionState::read);
    public static final HeaderType<Address> REFER_TO = single(HeaderName.REFER_TO, Address::read);
    public static final HeaderType<Address> REFERRED_BY = single(HeaderName.REFERRED_BY, Address::read);
    public static final HeaderType<Replaces> REPLACES = single(HeaderName.REPLACES, Replaces::read);
    public static final HeaderType<SessionExpires> SESSION_EXPIRES =
            single(HeaderName.SESSION_EXPIRES, SessionExpires::read);
    public static final HeaderType<Long> MIN_SE = single(HeaderName.MIN_SE, HeaderType::readMinSe);
    public static final HeaderType<Reason> REASON = list(HeaderName.REASON, Reason::read);
    public static final HeaderType<RetryAfter> RETRY_AFTER = single(HeaderName.RETRY_AFTER, RetryAfter::read);

    private final HeaderName name;
    private final Function<Cursor, T> element;
    private final boolean list;
    private final boolean mayBeEmpty;

    private HeaderType(HeaderName name, Function<Cursor, T> element, boolean list) {
        this(name, element, list, false);
    }

    private HeaderType(HeaderName name, Function<Cursor, T> element, boolean list, boolean mayBeEmpty) {
        this.name = Objects.requireNonNull(name);
        this.element = Objects.requireNonNull(element);
        this.list = list;
        this.mayBeEmpty = mayBeEmpty;
    }

    /** A header whose value is one element. */
    public static <T> HeaderType<T> single(HeaderName name, Function<Cursor, T> element) {
        return new HeaderType<>(name, element, false);
    }

    /** A header whose value is a comma-separated list of elements. */
    public static <T> HeaderType<T> list(HeaderName name, Function<Cursor, T> element) {
        return new HeaderType<>(name, element, true);
    }

    /** A list header whose value may be empty: an empty value is an empty list. */
    private static <T> HeaderType<T> optionalList(HeaderName name, Function<Cursor, T> element) {
        return new HeaderType<>(name, element, true, true);
    }

    public HeaderName name() {
        return name;
    }

    public boolean isList() {
        return list;
    }

    /** Reads one element at the cursor (leading whitespace skipped); the caller checks what follows. */
    public T readElement(Cursor cursor) {
        cursor.skipWhitespace();
        return element.apply(cursor);
    }

    /** Reads a whole field value of a single-valued header; anything after the element is an error. */
    public T parseSingle(String value) {
        Cursor c = new Cursor(value);
        T t = readElement(c);
        c.expectEnd();
        return t;
    }

    /** Reads a whole field value of a list header: {@code element *(COMMA element)}. */
    public List<T> parseList(String value) {
        Cursor c = new Cursor(value);
        if (mayBeEmpty && c.skipWhitespace().atEnd()) {
            return List.of();
        }
        T first = readElement(c);
        c.skipWhitespace();
        if (c.atEnd()) {
            return List.of(first);
        }
        ArrayList<T> out = new ArrayList<>(4);
        out.add(first);
        while (c.acceptSeparator(',')) {
            out.add(readElement(c));
        }
        c.expectEnd();
        return Collections.unmodifiableList(out);
    }

    /** callid = word [ "@" word ] (RFC 3261 §25.1). */
    private static String readCallId(Cursor c) {
        int start = c.position();
        skipWord(c);
        if (c.accept('@')) {
            skipWord(c);
        }
        return c.text().substring(start, c.position());
    }

    private static void skipWord(Cursor c) {
        int start = c.position();
        while (!c.atEnd() && SipChars.isWord(c.peek())) {
            c.skip(1);
        }
        if (c.position() == start) {
            throw c.error("expected a word");
        }
    }

    /** Min-SE = delta-seconds *(SEMI generic-param) (RFC 4028 §5); the parameters are ignored. */
    private static Long readMinSe(Cursor c) {
        long v = c.number(MAX_UINT32);
        c.headerParameters();
        return v;
    }

    @Override
    public String toString() {
        return name + (list ? "[list]" : "");
    }
}
