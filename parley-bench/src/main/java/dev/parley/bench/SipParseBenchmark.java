package dev.parley.bench;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.message.SipMessage;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parley's datagram parser against JAIN-SIP RI 1.3.0-91's {@link StringMsgParser} (the parser its UDP channel
 * uses) on the same bytes: parse, then read what a stack reads of every message — the top Via branch (transaction
 * matching), the From tag, Call-ID and CSeq (dialog matching) and, for the REGISTER, the Digest response (the
 * registrar's check). Each benchmark returns those values, so JMH consumes them and neither side can skip the work.
 *
 * <p>Parley is lazy: its parser checks Via, From, To, Call-ID, CSeq, Max-Forwards, Contact, Route, Record-Route,
 * Content-Type and Content-Length and keeps the other headers as text until they are read; JAIN-SIP builds an
 * object for every header. The REGISTER benchmarks read Authorization so that its parse is counted on Parley's side.
 *
 * <p>Run with {@code ./parley bench SipParseBenchmark -prof gc}; see {@code docs/benchmarks.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SipParseBenchmark {

    /** What both parsers are asked to read from a message; the sanity test checks they read the same. */
    public record Reads(String branch, String fromTag, String callId, long cseq, String cseqMethod,
            String digestResponse) {
    }

    @Param({"INVITE", "REGISTER", "RESPONSE_200"})
    public String message;

    private byte[] bytes;
    private boolean readsAuthorization;
    private final SipParser parley = SipParser.standard();
    // JAIN-SIP's UDP channel keeps one parser and calls parseSIPMessage(bytes, true, false, this) per datagram;
    // without a listener a malformed header throws instead of being dropped, which is what the sanity test wants.
    private final StringMsgParser jainSip = new StringMsgParser();

    @Setup
    public void setUp() {
        bytes = switch (message) {
            case "INVITE" -> SipSamples.INVITE;
            case "REGISTER" -> SipSamples.REGISTER;
            case "RESPONSE_200" -> SipSamples.RESPONSE_200;
            default -> throw new IllegalArgumentException("no sample named " + message);
        };
        readsAuthorization = message.equals("REGISTER");
    }

    @Benchmark
    public Reads parley_parse() {
        return read(parseWithParley(bytes));
    }

    @Benchmark
    public byte[] parley_parseAndSerialize() {
        return SipSerializer.serialize(parseWithParley(bytes));
    }

    @Benchmark
    public Reads jainsip_parse() throws ParseException {
        return read(parseWithJainSip(bytes));
    }

    @Benchmark
    public byte[] jainsip_parseAndSerialize() throws ParseException {
        // what JAIN-SIP's UDP channel sends: the message encoded for the transport of its top Via
        return parseWithJainSip(bytes).encodeAsBytes("UDP");
    }

    SipMessage parseWithParley(byte[] data) {
        ParseResult result = parley.parseDatagram(data, 0, data.length);
        if (result instanceof ParseResult.Parsed parsed) {
            return parsed.message();
        }
        throw new IllegalStateException("Parley did not parse the " + message + " sample: " + result);
    }

    SIPMessage parseWithJainSip(byte[] data) throws ParseException {
        SIPMessage m = jainSip.parseSIPMessage(data, true, false, null);
        if (m == null) {
            throw new IllegalStateException("JAIN-SIP did not parse the " + message + " sample");
        }
        return m;
    }

    Reads read(SipMessage m) {
        return new Reads(m.topVia().branch(), m.from().tag(), m.callId(), m.cseq().sequence(), m.cseq().method(),
                readsAuthorization ? m.authorizations().get(0).response() : null);
    }

    Reads read(SIPMessage m) {
        return new Reads(m.getTopmostVia().getBranch(), m.getFromTag(), m.getCallId().getCallId(),
                m.getCSeq().getSeqNumber(), m.getCSeq().getMethod(),
                readsAuthorization ? m.getAuthorization().getResponse() : null);
    }
}
