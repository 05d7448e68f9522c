package dev.parley.sipstack.transport;

import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helpers: SIP text, a recording {@link SipTransports.Inbound}, and reading messages off a stream. */
final class Sip {
    private Sip() {
    }

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** An OPTIONS request with the given top Via value and Call-ID. */
    static String options(String via, String callId) {
        return "OPTIONS sip:parley@127.0.0.1 SIP/2.0\r\n"
                + "Via: " + via + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:parley@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n"
                + "\r\n";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What arrived at the {@link Recorder}. */
    record Arrival(SipMessage message, Flow flow, String thread) {
        SipRequest request() {
            return (SipRequest) message;
        }

        SipResponse response() {
            return (SipResponse) message;
        }
    }

    /** Records everything; optionally reacts to requests on the event loop. */
    static final class Recorder implements SipTransports.Inbound {
        final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        final List<Flow> closed = new CopyOnWriteArrayList<>();
        volatile BiConsumer<SipRequest, Flow> onRequest = (r, f) -> { };

        @Override
        public void onRequest(SipRequest request, Flow flow) {
            arrivals.add(new Arrival(request, flow, Thread.currentThread().getName()));
            onRequest.accept(request, flow);
        }

        @Override
        public void onResponse(SipResponse response, Flow flow) {
            arrivals.add(new Arrival(response, flow, Thread.currentThread().getName()));
        }

        @Override
        public void onFlowClosed(Flow flow) {
            closed.add(flow);
        }

        Arrival next() throws InterruptedException {
            return next(Duration.ofSeconds(3));
        }

        Arrival next(Duration timeout) throws InterruptedException {
            Arrival a = arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (a == null) {
                throw new AssertionError("no SIP message arrived within " + timeout);
            }
            return a;
        }
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:content-length|l)\\s*:\\s*(\\d+)");

    /** Reads one SIP message (header section and Content-Length body) from a stream; null at EOF. */
    static String readMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return head.size() == 0 ? null : head.toString(StandardCharsets.UTF_8);
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.UTF_8);
        Matcher m = CONTENT_LENGTH.matcher(text);
        if (m.find()) {
            text += new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
        }
        return text;
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }
}
