package dev.parley.sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.text.SipSyntaxException;
import java.util.List;
import java.util.function.Supplier;

/** The properties every parse result must have, shared by the fuzz targets and the corpus tests. */
public final class MessageChecks {
    public static final SipParser PARSER = SipParser.standard();

    /** The prefix of the parser's catch-all error: seeing it means a RuntimeException escaped a parsing step. */
    private static final String CATCH_ALL = "unparseable message";

    private MessageChecks() {
    }

    /** Fails when the parser's defence-in-depth catch turned a bug into a 400. */
    public static void notCatchAll(ParseResult result) {
        if (result instanceof ParseResult.Malformed m && m.error().startsWith(CATCH_ALL)) {
            fail("parser bug hidden by the catch-all: " + m.error());
        }
    }

    /**
     * Everything a caller may do with a parse result: read every typed header (only SipSyntaxException allowed),
     * serialize and re-parse (parse → serialize → parse is stable), or build and re-parse the error response.
     */
    public static void check(ParseResult result) {
        notCatchAll(result);
        switch (result) {
            case ParseResult.Parsed p -> checkParsed(p.message());
            case ParseResult.Malformed m -> checkMalformed(m);
            case ParseResult.KeepAlive k -> {
            }
        }
    }

    public static void checkParsed(SipMessage m) {
        readTypedHeaders(m);
        byte[] first = SipSerializer.serialize(m);
        ParseResult again = PARSER.parseDatagram(first);
        notCatchAll(again);
        // The canonical form may be longer than what arrived (compact names expanded, a Content-Length added), so
        // it may cross a limit the original stayed under; that is the only acceptable failure.
        if (again instanceof ParseResult.Malformed mal && mal.status() == 513) {
            return;
        }
        ParseResult.Parsed reparsed = assertInstanceOf(ParseResult.Parsed.class, again,
                () -> "canonical form does not parse: " + again + "\n" + SipSerializer.toText(m));
        SipMessage m2 = reparsed.message();
        assertEquals(m.isRequest(), m2.isRequest());
        assertArrayEquals(first, SipSerializer.serialize(m2),
                () -> "serialize(parse(serialize(m))) differs from serialize(m):\n" + SipSerializer.toText(m));
        readTypedHeaders(m2);
    }

    public static void checkMalformed(ParseResult.Malformed m) {
        if (m.status() != 400 && m.status() != 505 && m.status() != 513) {
            fail("unexpected status " + m.status() + ": " + m.error());
        }
        var response = m.errorResponse();
        if (response.isEmpty()) {
            return;
        }
        SipResponse r = response.get();
        assertEquals(m.status(), r.status());
        byte[] bytes = SipSerializer.serialize(r);
        ParseResult again = PARSER.parseDatagram(bytes);
        notCatchAll(again);
        // The answer copies Via, From, To, Call-ID and CSeq as received (RFC 3261 §8.2.6.2), and one of them may be
        // what was malformed or missing; so it need not be a valid response, but it must read as a response.
        switch (again) {
            case ParseResult.Parsed p -> {
                SipResponse parsed = assertInstanceOf(SipResponse.class, p.message());
                assertEquals(m.status(), parsed.status());
                assertArrayEquals(bytes, SipSerializer.serialize(parsed));
            }
            case ParseResult.Malformed mal -> assertFalse(mal.request(),
                    () -> "error response reads as a request: " + mal + "\n" + new String(bytes));
            case ParseResult.KeepAlive k -> fail("error response reads as a keep-alive");
        }
    }

    /** Calls every typed accessor; lazily parsed headers may throw SipSyntaxException and nothing else. */
    public static void readTypedHeaders(SipMessage m) {
        List<Supplier<?>> accessors = List.of(m::vias, m::topVia, m::from, m::to, m::callId, m::cseq, m::method,
                m::maxForwards, m::contacts, m::routes, m::recordRoutes, m::paths, m::contentType, m::expires,
                m::minExpires, m::authorizations, m::proxyAuthorizations, m::wwwAuthenticates,
                m::proxyAuthenticates, m::require, m::proxyRequire, m::supported, m::unsupported, m::allow,
                m::rseq, m::rack, m::callInfos, m::event, m::subscriptionState, m::referTo, m::referredBy,
                m::replaces, m::sessionExpires, m::minSe, m::reasons, m::retryAfter, m::userAgent, m::server,
                m::startLine, m::toString);
        for (Supplier<?> accessor : accessors) {
            try {
                Object value = accessor.get();
                if (value != null) {
                    value.toString();
                }
            } catch (SipSyntaxException expected) {
                // a malformed optional header: the stack answers 400 when it needs it
            }
        }
        if (m instanceof SipRequest req) {
            req.requestUri().toString();
        }
    }
}
