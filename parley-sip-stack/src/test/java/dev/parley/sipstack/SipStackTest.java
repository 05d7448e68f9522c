package dev.parley.sipstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.lane.Lane;
import dev.parley.sipstack.transaction.ServerTransaction;
import dev.parley.sipstack.transport.TransportConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The facade end to end over a real UDP socket: lanes, transaction layer, transports. */
class SipStackTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<String> laneOfRequest = new CopyOnWriteArrayList<>();
    private SipStack stack;
    private DatagramSocket phone;

    @BeforeEach
    void start() throws Exception {
        TransportConfig transports = TransportConfig.builder().bindAddress(LOOPBACK).udpPort(0).tcpPort(0)
                .tlsPort(TransportConfig.DISABLED).build();
        stack = new SipStack(StackConfig.of(transports).withLanes(4), new SipStack.Handler() {
            @Override
            public void onRequest(ServerTransaction tx, SipRequest request) {
                laneOfRequest.add(Thread.currentThread().getName());
                int status = request.isMethod("INVITE") ? 486 : 200;
                tx.respond(SipResponse.to(request, status).build());
            }

            @Override
            public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
            }

            @Override
            public void onAckFor2xx(SipRequest ack, Flow flow) {
            }

            @Override
            public void onStrayResponse(SipResponse response, Flow flow) {
            }

            @Override
            public void onTimeout(ServerTransaction transaction) {
            }

            @Override
            public void onTransportError(ServerTransaction transaction) {
            }
        });
        stack.start();
        phone = new DatagramSocket(0, LOOPBACK);
        phone.setSoTimeout(3000);
    }

    @AfterEach
    void stop() {
        phone.close();
        stack.close();
    }

    @Test
    void optionsIsAnsweredOnTheLaneOfItsCallId() throws Exception {
        send(request("OPTIONS", "abc-1", 1));
        SipResponse ok = receive();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.topVia().received()).isEqualTo("127.0.0.1");
        Lane lane = stack.laneFor("abc-1");
        assertThat(laneOfRequest).containsExactly("parley-lane-" + lane.index());
    }

    @Test
    void inviteGetsTryingThenItsFinalResponseAndTheAckIsAbsorbed() throws Exception {
        send(request("INVITE", "inv-1", 7));
        assertThat(receive().status()).isEqualTo(100);
        assertThat(receive().status()).isEqualTo(486);
        // a retransmitted INVITE gets the final response again and does not reach the PBX twice
        send(request("INVITE", "inv-1", 7));
        assertThat(receive().status()).isEqualTo(486);
        assertThat(laneOfRequest).hasSize(1);
    }

    @Test
    void callIdsParleyMakesLandOnTheirLane() {
        Lane lane = stack.lanes().get(3);
        String callId = stack.newCallId(lane);
        assertThat(stack.laneFor(callId)).isSameAs(lane);
        assertThat(stack.newVia(Transport.UDP).branch()).startsWith("z9hG4bK");
        assertThat(stack.newVia(Transport.UDP).port()).isEqualTo(stack.boundPort(Transport.UDP));
        assertThat(stack.contactUri("101", Transport.TCP).transport()).isEqualTo("tcp");
    }

    private String request(String method, String callId, int cseq) {
        return method + " sip:101@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=z9hG4bK" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:101@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private void send(String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        phone.send(new DatagramPacket(b, b.length,
                new InetSocketAddress(LOOPBACK, stack.boundPort(Transport.UDP))));
    }

    private SipResponse receive() throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        phone.receive(p);
        ParseResult r = SipParser.standard().parseDatagram(buf, 0, p.getLength());
        return (SipResponse) ((ParseResult.Parsed) r).message();
    }
}
