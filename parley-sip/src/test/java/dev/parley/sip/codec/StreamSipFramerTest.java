package dev.parley.sip.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing SIP over streams (RFC 3261 §18.3) with RFC 5626 §3.5.1 keep-alives. */
class StreamSipFramerTest {

    private static final String INVITE = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@biloxi.com>\r\n"
            + "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 14\r\n"
            + "\r\n"
            + "v=0\r\no=- 1 1\r\n";
    private static final String RESPONSE = "SIP/2.0 200 OK\r\n"
            + "v: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
            + "t: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
            + "f: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "i: a84b4c76e66710@pc33.atlanta.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "l: 7\r\n"
            + "\r\n"
            + "\r\n\r\nabc"; // a body that starts with CRLFs and ends mid-"line"

    /** Records what the framer reports, as text so runs can be compared. */
    private static final class Recorder implements StreamSipFramer.Listener {
        final List<ParseResult> results = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public void onMessage(ParseResult result) {
            results.add(result);
            events.add(describe(result));
        }

        @Override
        public void onKeepAlivePing() {
            events.add("ping");
        }
    }

    private static String describe(ParseResult r) {
        return switch (r) {
            case ParseResult.Parsed p -> "message " + SipSerializer.toText(p.message());
            case ParseResult.KeepAlive k -> "keep-alive";
            case ParseResult.Malformed m -> "malformed " + m.status();
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Recorder feedAtOnce(byte[] data) {
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        framer.feed(data, 0, data.length, r);
        assertThat(framer.buffered()).isZero();
        return r;
    }

    @Test
    void rfc3261_18_3_twoPipelinedMessagesWithBodies() {
        Recorder r = feedAtOnce(bytes(INVITE + RESPONSE));
        assertThat(r.results).hasSize(2);
        SipRequest invite = (SipRequest) ((ParseResult.Parsed) r.results.get(0)).message();
        SipResponse ok = (SipResponse) ((ParseResult.Parsed) r.results.get(1)).message();
        assertThat(invite.body().toUtf8String()).isEqualTo("v=0\r\no=- 1 1\r\n");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().toUtf8String()).isEqualTo("\r\n\r\nabc");
        assertThat(r.events).noneMatch("ping"::equals);
    }

    @Test
    void rfc3261_18_3_splitAtEveryByteGivesTheSameMessages() {
        byte[] data = bytes(INVITE + "\r\n\r\n" + RESPONSE + "\r\n" + INVITE);
        List<String> expected = feedAtOnce(data).events;
        assertThat(expected).hasSize(4);
        assertThat(expected.get(1)).isEqualTo("ping");
        for (int i = 0; i <= data.length; i++) {
            StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
            Recorder r = new Recorder();
            framer.feed(data, 0, i, r);
            framer.feed(data, i, data.length - i, r);
            assertThat(r.events).as("split at %d", i).isEqualTo(expected);
            assertThat(framer.buffered()).as("split at %d", i).isZero();
            assertThat(framer.failed()).isFalse();
        }
    }

    @Test
    void rfc3261_18_3_oneByteAtATimeGivesTheSameMessages() {
        byte[] data = bytes(INVITE + "\r\n\r\n" + RESPONSE + "\r\n" + INVITE);
        List<String> expected = feedAtOnce(data).events;
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        for (int i = 0; i < data.length; i++) {
            framer.feed(data, i, 1, r);
        }
        assertThat(r.events).isEqualTo(expected);
        assertThat(framer.buffered()).isZero();
    }

    @Test
    void rfc5626_3_5_1_doubleCrlfIsOnePingAndASingleCrlfIsIgnored() {
        Recorder r = feedAtOnce(bytes("\r\n\r\n" + INVITE + "\r\n" + RESPONSE + "\r\n\r\n\r\n"));
        assertThat(r.events).hasSize(4);
        assertThat(r.events.get(0)).isEqualTo("ping");
        assertThat(r.events.get(1)).startsWith("message INVITE");
        assertThat(r.events.get(2)).startsWith("message SIP/2.0 200 OK");
        assertThat(r.events.get(3)).isEqualTo("ping");
        // CRLFCRLFCRLF is one ping and a stray CRLF; a second stray CRLF would make the second ping
        Recorder single = feedAtOnce(bytes("\r\n"));
        assertThat(single.events).isEmpty();
    }

    @Test
    void rfc5626_3_5_1_pingSplitAcrossReads() {
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        byte[] first = bytes(INVITE + "\r\n");
        byte[] second = bytes("\r\n");
        framer.feed(first, 0, first.length, r);
        assertThat(r.events).hasSize(1);
        framer.feed(second, 0, second.length, r);
        assertThat(r.events).hasSize(2).last().isEqualTo("ping");
    }

    @Test
    void rfc3261_18_3_missingContentLengthFailsTheStream() {
        String noLength = INVITE.replace("Content-Length: 14\r\n", "");
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        byte[] data = bytes(noLength + INVITE);
        framer.feed(data, 0, data.length, r);
        assertThat(r.events).containsExactly("malformed 400");
        ParseResult.Malformed m = (ParseResult.Malformed) r.results.get(0);
        assertThat(m.request()).isTrue();
        assertThat(m.errorResponse()).hasValueSatisfying(
                resp -> assertThat(resp.topVia().branch()).isEqualTo("z9hG4bKnashds8"));
        assertThat(framer.failed()).isTrue();
        byte[] more = bytes(INVITE);
        framer.feed(more, 0, more.length, r);
        assertThat(r.events).hasSize(1);
        assertThat(framer.buffered()).isZero();
    }

    @Test
    void rfc3261_18_3_malformedContentLengthFailsTheStream() {
        Recorder r = feedAtOnce(bytes(INVITE.replace("Content-Length: 14", "Content-Length: 1e3")));
        assertThat(r.events).containsExactly("malformed 400");
        Recorder twice = feedAtOnce(bytes(INVITE.replace("Content-Length: 14\r\n", "Content-Length: 14\r\nl: 14\r\n")));
        assertThat(twice.events).containsExactly("malformed 400");
    }

    @Test
    void rfc3261_20_14_contentLengthWithLeadingZerosFramesAsTheParserReadsIt() {
        Recorder r = feedAtOnce(bytes(INVITE.replace("Content-Length: 14", "Content-Length: 0000000000014")));
        assertThat(r.results).hasSize(1).allMatch(x -> x instanceof ParseResult.Parsed);
        Recorder tooBig = feedAtOnce(bytes(INVITE.replace("Content-Length: 14", "Content-Length: 4294967296")));
        assertThat(tooBig.events).containsExactly("malformed 400");
    }

    @Test
    void headerSectionOverTheLimitIs513() {
        SipParser parser = new SipParser(new SipLimits(65_535, 200, 8_192, 128, 60_000));
        StreamSipFramer framer = new StreamSipFramer(parser);
        Recorder r = new Recorder();
        byte[] data = bytes(INVITE.replace("Max-Forwards: 70\r\n", "Subject: " + "x".repeat(300) + "\r\n"));
        for (int i = 0; i < data.length && !framer.failed(); i += 7) {
            framer.feed(data, i, Math.min(7, data.length - i), r);
        }
        assertThat(r.events).containsExactly("malformed 513");
        assertThat(framer.failed()).isTrue();
        assertThat(framer.buffered()).isZero();
        // never buffered much beyond the limit: the headers read so far still route an answer
        ParseResult.Malformed m = (ParseResult.Malformed) r.results.get(0);
        assertThat(m.errorResponse()).isPresent();
    }

    @Test
    void headerSectionWithoutEndNeverGrowsBeyondTheLimit() {
        SipParser parser = new SipParser(new SipLimits(65_535, 100, 8_192, 128, 60_000));
        StreamSipFramer framer = new StreamSipFramer(parser);
        Recorder r = new Recorder();
        byte[] junk = bytes("X".repeat(1000));
        framer.feed(junk, 0, junk.length, r);
        assertThat(r.events).containsExactly("malformed 513");
        assertThat(framer.failed()).isTrue();
        assertThat(((ParseResult.Malformed) r.results.get(0)).errorResponse()).isEmpty();
    }

    @Test
    void contentLengthOverTheLimitIs513() {
        SipParser parser = new SipParser(new SipLimits(65_535, 16_384, 8_192, 128, 12));
        Recorder r = new Recorder();
        StreamSipFramer framer = new StreamSipFramer(parser);
        byte[] data = bytes(INVITE);
        framer.feed(data, 0, data.length, r);
        assertThat(r.events).containsExactly("malformed 513");
        assertThat(framer.failed()).isTrue();
        // and the message limit, for a body within the body limit
        SipParser small = new SipParser(new SipLimits(100, 16_384, 8_192, 128, 60_000));
        StreamSipFramer framer2 = new StreamSipFramer(small);
        Recorder r2 = new Recorder();
        framer2.feed(data, 0, data.length, r2);
        assertThat(r2.events).containsExactly("malformed 513");
    }

    @Test
    void partialBodyIsHeldUntilComplete() {
        byte[] data = bytes(INVITE);
        int bodyStart = INVITE.indexOf("\r\n\r\n") + 4;
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        framer.feed(data, 0, bodyStart + 5, r);
        assertThat(r.events).isEmpty();
        assertThat(framer.buffered()).isEqualTo(bodyStart + 5);
        framer.feed(data, bodyStart + 5, data.length - bodyStart - 6, r);
        assertThat(r.events).isEmpty();
        assertThat(framer.buffered()).isEqualTo(data.length - 1);
        framer.feed(data, data.length - 1, 1, r);
        assertThat(r.results).hasSize(1);
        SipMessage m = ((ParseResult.Parsed) r.results.get(0)).message();
        assertThat(m.body().toUtf8String()).isEqualTo("v=0\r\no=- 1 1\r\n");
        assertThat(framer.buffered()).isZero();
    }

    @Test
    void malformedMessageWithGoodFramingDoesNotFailTheStream() {
        String badCSeq = INVITE.replace("CSeq: 314159 INVITE", "CSeq: 314159 BYE");
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        byte[] data = bytes(badCSeq + RESPONSE);
        framer.feed(data, 0, data.length, r);
        assertThat(r.events).hasSize(2);
        assertThat(r.events.get(0)).isEqualTo("malformed 400");
        assertThat(r.events.get(1)).startsWith("message SIP/2.0 200 OK");
        assertThat(framer.failed()).isFalse();
    }

    @Test
    void bareLfFramingIsAccepted() {
        String lf = INVITE.replace("\r\n", "\n").replace("Content-Length: 14", "Content-Length: 12");
        Recorder r = feedAtOnce(bytes(lf + lf));
        assertThat(r.results).hasSize(2).allMatch(x -> x instanceof ParseResult.Parsed);
        assertThat(((ParseResult.Parsed) r.results.get(1)).message().body().toUtf8String())
                .isEqualTo("v=0\no=- 1 1\n");
    }

    @Test
    void manySmallMessagesThroughOneFramerKeepTheBufferBounded() {
        byte[] one = bytes(INVITE);
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        Recorder r = new Recorder();
        for (int n = 0; n < 500; n++) {
            // each read ends mid-message, so the buffer always holds a partial one
            framer.feed(one, 0, 100, r);
            framer.feed(one, 100, one.length - 100, r);
        }
        assertThat(r.results).hasSize(500).allMatch(x -> x instanceof ParseResult.Parsed);
        assertThat(framer.buffered()).isZero();
    }

    @Test
    void foldedContentLengthFramesLikeTheDatagramParserReadsIt_rfc3261_7_3_1() {
        String folded = INVITE.replace("Content-Length: 14\r\n", "Content-Length:\r\n 14\r\n");
        Recorder r = new Recorder();
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        byte[] bytes = folded.getBytes(StandardCharsets.UTF_8);
        framer.feed(bytes, 0, bytes.length, r);
        assertThat(framer.failed()).isFalse();
        assertThat(r.results).singleElement().isInstanceOf(ParseResult.Parsed.class);
        assertThat(((ParseResult.Parsed) r.results.get(0)).message().body().length()).isEqualTo(14);
        assertThat(framer.buffered()).isZero();
    }
}
