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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        // a retransmitted INVITE gets the final response again, no early 100, and does not reach the PBX twice
        send(request("INVITE", "inv-1", 7));
        assertThat(receive().status()).isEqualTo(486);
        assertThat(laneOfRequest).hasSize(1);
    }

    @Test
    void aRetransmittedInviteGetsNoSecondEarlyTrying() throws Exception {
        // Only the first copy of an INVITE gets its 100 from the I/O side: a 100 for a later copy could leave after
        // the final response and be taken for the 100 of the caller's next INVITE (FirstInviteCopies)
        CountDownLatch busy = blockUntilCounted(stack.laneFor("inv-3"));
        send(request("INVITE", "inv-3", 1));
        assertThat(receive().status()).isEqualTo(100);
        send(request("INVITE", "inv-3", 1));
        busy.countDown();
        // the lane runs the first copy (486), then the retransmission, which its completed transaction answers with
        // the 486 again (RFC 3261 §17.2.1); a second early 100 would have arrived before both
        assertThat(receive().status()).isEqualTo(486);
        assertThat(receive().status()).isEqualTo(486);
        assertThat(laneOfRequest).hasSize(1);
    }

    @Test
    void inviteOverUdpGetsItsTryingWhileItsLaneIsStillBusy() throws Exception {
        // RFC 3261 §17.2.1: a lane behind its work must not delay the 100 Trying, or the caller retransmits the
        // INVITE every T1 doubled and adds to the work that delayed it
        CountDownLatch busy = blockUntilCounted(stack.laneFor("inv-2"));
        send(request("INVITE", "inv-2", 3));
        assertThat(receive().status()).isEqualTo(100);
        assertThat(laneOfRequest).isEmpty();
        busy.countDown();
        // the transaction sends no second 100: the next response is the final one
        assertThat(receive().status()).isEqualTo(486);
        assertThat(laneOfRequest).hasSize(1);
    }

    @Test
    void newCallsOnABusyLaneWaitBehindTheWorkOfCallsUnderWay() throws Exception {
        Lane lane = stack.laneFor("order-1");
        CountDownLatch busy = blockUntilCounted(lane);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(5);
        lane.executeArrival(() -> { ran.add("new-1"); done.countDown(); });
        lane.executeArrival(() -> { ran.add("new-2"); done.countDown(); });
        lane.execute(() -> { ran.add("under-way-1"); done.countDown(); });
        lane.execute(() -> { ran.add("under-way-2"); done.countDown(); });
        lane.execute(() -> { ran.add("under-way-3"); done.countDown(); });
        busy.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        // one new call per pass over the work queued before it: new-1 had its turn queued before the work under
        // way, new-2 waits behind all that was queued while new-1 waited
        assertThat(ran).containsExactly("new-1", "under-way-1", "under-way-2", "under-way-3", "new-2");
        assertThat(lane.pendingArrivals()).isZero();
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

    /** Keeps {@code lane} busy until the latch returned is counted down. */
    private static CountDownLatch blockUntilCounted(Lane lane) {
        CountDownLatch busy = new CountDownLatch(1);
        lane.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return busy;
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
