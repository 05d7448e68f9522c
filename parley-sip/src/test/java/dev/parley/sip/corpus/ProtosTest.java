package dev.parley.sip.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.StreamSipFramer;
import dev.parley.sip.fuzz.MessageChecks;
import dev.parley.sip.message.SipRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 4527 PROTOS c07-sip test cases (OUSPG): every INVITE and its CANCEL teardown, once as a UDP datagram and once
 * over a stream fed in 1 KB reads, gives a message or a typed rejection; nothing throws, nothing reaches the
 * parser's catch-all, nothing takes long. PROTOS judges robustness, not conformance, and so does this test.
 *
 * <p>Case format (corpora README): {@code "<len> " + INVITE + "<len2> " + teardown}, with placeholders substituted
 * as a test harness would send them; Content-Length is computed after substitution.
 */
class ProtosTest {
    private static final Path CASES = Corpora.dir("protos-c07-sip/cases");
    private static final SipParser PARSER = MessageChecks.PARSER;
    private static final int CHUNK = 1024;

    /** Hang guards, not benchmarks: generous enough for a slow CI machine, far below what a quadratic blow-up takes. */
    private static final long MAX_CASE_NANOS = 2_000_000_000L;
    private static final long MAX_TOTAL_NANOS = 60_000_000_000L;

    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "<To>", "parley@192.0.2.1",
            "<From>", "protos@192.0.2.99",
            "<From-Address>", "192.0.2.99",
            "<Local-Port>", "5060",
            "<Branch-ID>", "1",
            "<Call-ID>", "protos-c07",
            "<CSeq>", "1",
            "<From-IP>", "192.0.2.99",
            "<Teardown-Method>", "CANCEL");

    private static List<Path> files;

    @BeforeAll
    static void listCases() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            files = s.sorted().toList();
        }
    }

    @Test
    void corpusIsComplete() {
        assertThat(files).hasSize(4527);
    }

    @Test
    void validCaseZeroParses() {
        Case c = Case.read(files.get(0));
        ParseResult invite = PARSER.parseDatagram(c.invite);
        assertThat(invite).isInstanceOfSatisfying(ParseResult.Parsed.class, p -> {
            assertThat(p.message()).isInstanceOf(SipRequest.class);
            assertThat(p.message().method()).isEqualTo("INVITE");
            // the seven SDP lines after substitution
            assertThat(p.message().body().length()).isEqualTo(121);
            assertThat(p.message().contentType()).hasValueSatisfying(t -> assertThat(t.subtype()).isEqualTo("sdp"));
        });
        assertThat(PARSER.parseDatagram(c.teardown)).isInstanceOfSatisfying(ParseResult.Parsed.class,
                p -> assertThat(p.message().method()).isEqualTo("CANCEL"));
        assertThat(feed(c.invite)).singleElement().isInstanceOf(ParseResult.Parsed.class);
    }

    @Test
    void everyCaseIsParsedOrRejectedPromptly() {
        Map<String, Integer> datagram = new TreeMap<>();
        Map<String, Integer> stream = new TreeMap<>();
        List<String> slow = new ArrayList<>();
        List<String> oversized = new ArrayList<>();
        long total = 0;
        long slowest = 0;
        String slowestCase = "";
        for (Path file : files) {
            Case c = Case.read(file);
            long t0 = System.nanoTime();
            for (byte[] message : List.of(c.invite, c.teardown)) {
                String kind = message == c.invite ? "INVITE " : "CANCEL ";
                ParseResult r = PARSER.parseDatagram(message);
                MessageChecks.check(r);
                datagram.merge(kind + outcome(r), 1, Integer::sum);
                if (message.length > PARSER.limits().maxMessageBytes()) {
                    // RFC 3261 §18.1.1 / §21.5.14: too large for any datagram this server accepts
                    assertThat(r).as(file.getFileName() + " of " + message.length + " octets")
                            .isInstanceOfSatisfying(ParseResult.Malformed.class,
                                    m -> assertThat(m.status()).isEqualTo(513));
                }
                if (message == c.invite && message.length > 65_507) {
                    oversized.add(file.getFileName() + " (" + message.length + " B): " + outcome(r));
                }
                List<ParseResult> framed = feed(message);
                framed.forEach(MessageChecks::check);
                stream.merge(kind + (framed.isEmpty() ? "incomplete (framer waits for more)"
                        : framed.stream().map(ProtosTest::outcome).toList().toString()), 1, Integer::sum);
            }
            long took = System.nanoTime() - t0;
            total += took;
            if (took > slowest) {
                slowest = took;
                slowestCase = file.getFileName().toString();
            }
            if (took > MAX_CASE_NANOS) {
                slow.add(file.getFileName() + " " + took / 1_000_000 + " ms");
            }
        }
        System.out.printf("PROTOS c07-sip: %d cases, %d ms in all, slowest %s at %.1f ms%n", files.size(),
                total / 1_000_000, slowestCase, slowest / 1e6);
        System.out.println("datagram outcomes: " + datagram);
        System.out.println("stream outcomes (1 KB reads): " + stream);
        System.out.println("INVITEs over 65507 octets: " + oversized.size());
        oversized.forEach(s -> System.out.println("  " + s));

        assertThat(slow).as("cases taking over 2 s").isEmpty();
        assertThat(total).as("total parse time (ns)").isLessThan(MAX_TOTAL_NANOS);
        assertThat(datagram).containsKey("INVITE Parsed");
    }

    private static String outcome(ParseResult r) {
        return switch (r) {
            case ParseResult.Parsed p -> "Parsed";
            case ParseResult.Malformed m -> "Malformed " + m.status();
            case ParseResult.KeepAlive k -> "KeepAlive";
        };
    }

    /** The message over a fresh stream in 1 KB reads, as a TCP peer would send it. */
    private static List<ParseResult> feed(byte[] message) {
        List<ParseResult> results = new ArrayList<>();
        StreamSipFramer framer = new StreamSipFramer(PARSER);
        StreamSipFramer.Listener listener = new StreamSipFramer.Listener() {
            @Override
            public void onMessage(ParseResult result) {
                results.add(result);
            }

            @Override
            public void onKeepAlivePing() {
            }
        };
        for (int off = 0; off < message.length && !framer.failed(); off += CHUNK) {
            framer.feed(message, off, Math.min(CHUNK, message.length - off), listener);
        }
        return results;
    }

    /** One PROTOS case with its placeholders substituted. */
    private record Case(byte[] invite, byte[] teardown) {
        static Case read(Path file) {
            byte[] raw = Corpora.read(file);
            int[] at = {0};
            byte[] invite = substitute(next(raw, at, file));
            byte[] teardown = substitute(next(raw, at, file));
            return new Case(invite, teardown);
        }

        /** {@code "<len> " + len bytes} at {@code at[0]}. */
        private static byte[] next(byte[] raw, int[] at, Path file) {
            int space = at[0];
            while (raw[space] != ' ') {
                space++;
            }
            int len = Integer.parseInt(new String(raw, at[0], space - at[0], StandardCharsets.US_ASCII));
            if (space + 1 + len > raw.length) {
                throw new IllegalStateException(file + ": length prefix " + len + " runs past the end");
            }
            byte[] out = new byte[len];
            System.arraycopy(raw, space + 1, out, 0, len);
            at[0] = space + 1 + len;
            return out;
        }

        /** Placeholders replaced, then Content-Length set to what follows the first empty line. */
        private static byte[] substitute(byte[] message) {
            // ISO-8859-1 maps every byte to one char and back, so non-ASCII octets survive unchanged
            String s = new String(message, StandardCharsets.ISO_8859_1);
            for (var e : PLACEHOLDERS.entrySet()) {
                s = s.replace(e.getKey(), e.getValue());
            }
            int headerEnd = s.indexOf("\r\n\r\n");
            int bodyLength = headerEnd < 0 ? 0 : s.length() - headerEnd - 4;
            s = s.replace("<Content-Length>", Integer.toString(bodyLength));
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
