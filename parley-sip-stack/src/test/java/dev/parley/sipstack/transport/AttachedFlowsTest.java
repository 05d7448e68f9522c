package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.SourceSlots;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.header.Via;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.FlowIds;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The stack's side of an attached WebSocket transport (RFC 7118 §5), without sockets. */
class AttachedFlowsTest {
    private final Sip.Recorder inbound = new Sip.Recorder();
    private final SourceSlots limiter = new SourceSlots(2, 100);
    private final AttachedFlows flows = new AttachedFlows(Transport.WSS, 8443, SipParser.standard(), limiter,
            inbound);

    /** A WebSocket connection that records what the stack writes down it. */
    static class FakeWsFlow implements Flow {
        final List<String> sent = new ArrayList<>();
        final InetSocketAddress remote;
        final String id = FlowIds.next(Transport.WSS);
        boolean open = true;

        FakeWsFlow(int remotePort) {
            this.remote = new InetSocketAddress("192.0.2.7", remotePort);
        }

        @Override
        public Transport transport() {
            return Transport.WSS;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 8443);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void send(byte[] message) {
            sent.add(new String(message, StandardCharsets.UTF_8));
        }
    }

    /** What JsSIP sends: a made-up .invalid sent-by, rport, and no Content-Length (RFC 7118 §5.1 allows that). */
    private static final String REGISTER = "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/WSS k3n2a9d1.invalid;branch=z9hG4bK776;rport\r\n"
            + "Max-Forwards: 69\r\n"
            + "To: <sip:101@127.0.0.1>\r\n"
            + "From: <sip:101@127.0.0.1>;tag=ab12\r\n"
            + "Call-ID: reg-1\r\n"
            + "CSeq: 1 REGISTER\r\n"
            + "Contact: <sip:x1y2@k3n2a9d1.invalid;transport=ws>;expires=600\r\n"
            + "\r\n";

    @Test
    void rfc7118_requestGetsReceivedAndRportOfTheConnection() throws Exception {
        FakeWsFlow flow = new FakeWsFlow(50123);
        assertThat(flows.onOpened(flow)).isTrue();

        assertThat(flows.onMessage(flow, Sip.bytes(REGISTER))).isTrue();

        Sip.Arrival a = inbound.next();
        assertThat(a.flow()).isSameAs(flow);
        Via top = a.request().topVia();
        assertThat(top.transport()).isEqualTo("WSS");
        assertThat(top.received()).isEqualTo("192.0.2.7");
        assertThat(top.rport()).isEqualTo(50123);
    }

    @Test
    void rfc5626_crlfPingIsAnsweredWithCrlfAndIsNotAMessage() {
        FakeWsFlow flow = new FakeWsFlow(50124);
        flows.onOpened(flow);

        assertThat(flows.onMessage(flow, Sip.bytes("\r\n\r\n"))).isFalse();

        assertThat(flow.sent).containsExactly("\r\n");
        assertThat(inbound.arrivals).isEmpty();
    }

    @Test
    void malformedRequestIsAnswered400OnTheSameConnection() {
        FakeWsFlow flow = new FakeWsFlow(50125);
        flows.onOpened(flow);
        String bad = REGISTER.replace("CSeq: 1 REGISTER", "CSeq: one REGISTER");

        assertThat(flows.onMessage(flow, Sip.bytes(bad))).isFalse();

        assertThat(flow.sent).hasSize(1);
        // the answer copies the malformed CSeq as it came, so read its status line only
        assertThat(flow.sent.getFirst()).startsWith("SIP/2.0 400 ").contains("Call-ID: reg-1");
        assertThat(inbound.arrivals).isEmpty();
    }

    @Test
    void requestsToAClientGoDownItsOpenConnectionAndFailAtOnceWhenItClosed() throws Exception {
        FakeWsFlow flow = new FakeWsFlow(50126);
        flows.onOpened(flow);

        assertThat(flows.flowTo(flow.remote).get()).isSameAs(flow);

        flow.open = false;
        flows.onClosed(flow);
        assertThat(inbound.closed).containsExactly(flow);
        assertThatThrownBy(() -> flows.flowTo(flow.remote).get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("no open WSS connection");
        assertThat(limiter.total()).isZero();
    }

    @Test
    void connectionsOverThePerAddressCapAreRefusedAndNeverReported() {
        FakeWsFlow a = new FakeWsFlow(1);
        FakeWsFlow b = new FakeWsFlow(2);
        FakeWsFlow c = new FakeWsFlow(3);
        assertThat(flows.onOpened(a)).isTrue();
        assertThat(flows.onOpened(b)).isTrue();

        assertThat(flows.onOpened(c)).isFalse();
        flows.onClosed(c);

        assertThat(inbound.closed).isEmpty();
        assertThat(limiter.total()).isEqualTo(2);
    }

    @Test
    void flowOfAnotherTransportIsAProgrammingError() {
        Flow tcp = new FakeWsFlow(4) {
            @Override
            public Transport transport() {
                return Transport.TCP;
            }
        };
        assertThatThrownBy(() -> flows.onOpened(tcp)).isInstanceOf(IllegalArgumentException.class);
    }
}
