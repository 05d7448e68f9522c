package dev.parley.sipstack.transaction;

import dev.parley.common.Scheduler;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A flow that parses back what it is given and records it with the virtual time it was sent at. */
final class RecordingFlow implements Flow {
    record Sent(Duration at, SipMessage message, byte[] bytes) {
    }

    private final Transport transport;
    private final Scheduler clock;
    private final List<Sent> sent = new ArrayList<>();
    boolean open = true;

    RecordingFlow(Transport transport, Scheduler clock) {
        this.transport = transport;
        this.clock = clock;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 5060);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("192.0.2.4", 5060);
    }

    @Override
    public String id() {
        return transport + "-" + System.identityHashCode(this);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void send(byte[] message) {
        ParseResult r = SipParser.standard().parseDatagram(message);
        if (!(r instanceof ParseResult.Parsed p)) {
            throw new AssertionError("sent an unparsable message: " + r);
        }
        sent.add(new Sent(Duration.ofNanos(clock.nanoTime()), p.message(), message.clone()));
    }

    List<Sent> sent() {
        return sent;
    }

    List<SipMessage> messages() {
        return sent.stream().map(Sent::message).toList();
    }

    /** Send times of requests of that method. */
    List<Duration> requestTimes(String method) {
        return sent.stream().filter(s -> s.message() instanceof SipRequest q && q.isMethod(method))
                .map(Sent::at).toList();
    }

    /** Send times of responses with that status. */
    List<Duration> responseTimes(int status) {
        return sent.stream().filter(s -> s.message() instanceof SipResponse r && r.status() == status)
                .map(Sent::at).toList();
    }

    List<SipRequest> requests(String method) {
        return sent.stream().map(Sent::message).filter(m -> m instanceof SipRequest q && q.isMethod(method))
                .map(m -> (SipRequest) m).toList();
    }

    List<SipResponse> responses() {
        return sent.stream().map(Sent::message).filter(m -> m instanceof SipResponse).map(m -> (SipResponse) m)
                .toList();
    }

    /** The bytes of every message sent, in order. */
    List<String> wire() {
        return sent.stream().map(s -> new String(s.bytes(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    SipMessage last() {
        return sent.getLast().message();
    }

    void clear() {
        sent.clear();
    }
}
