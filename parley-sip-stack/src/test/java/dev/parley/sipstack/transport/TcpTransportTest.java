package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 3261 §18 over TCP on real sockets: framing, keep-alives, errors and connection reuse. */
class TcpTransportTest {
    private final Sip.Recorder inbound = new Sip.Recorder();
    private SipTransports transports;
    private Socket client;
    private InputStream in;
    private OutputStream out;

    @BeforeEach
    void start() throws Exception {
        transports = new SipTransports(TransportConfig.builder().bindAddress(Sip.LOOPBACK).udpPort(-1).tcpPort(0)
                .tlsPort(-1).ioThreads(2).build(), inbound);
        transports.start();
        client = new Socket(Sip.LOOPBACK, transports.boundPort(Transport.TCP));
        client.setTcpNoDelay(true);
        client.setSoTimeout(3000);
        in = client.getInputStream();
        out = client.getOutputStream();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        transports.close();
    }

    private static String via(String branch) {
        return "SIP/2.0/TCP client.invalid:5060;branch=" + branch;
    }

    @Test
    void twoPipelinedMessagesInOneWriteArriveInOrder() throws Exception {
        out.write(Sip.bytes(Sip.options(via("z9hG4bK1"), "first") + Sip.options(via("z9hG4bK2"), "second")));
        out.flush();
        assertThat(inbound.next().request().callId()).isEqualTo("first");
        assertThat(inbound.next().request().callId()).isEqualTo("second");
    }

    @Test
    void aMessageSplitOverManyWritesArrivesOnce() throws Exception {
        String body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n";
        byte[] msg = Sip.bytes(Sip.options(via("z9hG4bKsplit"), "split")
                .replace("Content-Length: 0", "Content-Type: application/sdp\r\nContent-Length: " + body.length())
                + body + Sip.options(via("z9hG4bKnext"), "next"));
        for (byte b : msg) {
            out.write(b);
            out.flush();
        }
        Sip.Arrival a = inbound.next();
        assertThat(a.request().callId()).isEqualTo("split");
        assertThat(a.request().body().length()).isEqualTo(body.length());
        assertThat(inbound.next().request().callId()).isEqualTo("next");
    }

    @Test
    void rfc5626_4_4_1_aDoubleCrlfPingGetsACrlfPong() throws Exception {
        out.write(Sip.bytes("\r\n\r\n"));
        out.flush();
        assertThat(in.readNBytes(2)).isEqualTo(Sip.bytes("\r\n"));
    }

    @Test
    void rfc3261_18_3_noContentLengthIsAnswered400AndTheConnectionClosed() throws Exception {
        out.write(Sip.bytes(Sip.options(via("z9hG4bKnocl"), "no-cl").replace("Content-Length: 0\r\n", "")));
        out.flush();
        String reply = Sip.readMessage(in);
        assertThat(reply).startsWith("SIP/2.0 400 ").contains("z9hG4bKnocl").contains("received=127.0.0.1");
        assertThat(in.read()).isEqualTo(-1);
        assertThat(inbound.arrivals).isEmpty();
    }

    @Test
    void aBadHeaderIsAnswered400AndTheConnectionStaysOpen() throws Exception {
        out.write(Sip.bytes(Sip.options(via("z9hG4bKbad"), "bad").replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS")
                + Sip.options(via("z9hG4bKgood"), "good")));
        out.flush();
        assertThat(Sip.readMessage(in)).startsWith("SIP/2.0 400 ");
        assertThat(inbound.next().request().callId()).isEqualTo("good");
    }

    @Test
    void rfc3261_18_2_2_responsesGoDownTheConnectionTheRequestCameOn() throws Exception {
        out.write(Sip.bytes(Sip.options(via("z9hG4bKresp"), "resp")));
        out.flush();
        Sip.Arrival a = inbound.next();
        // sent-by is a host name: RFC 3261 §18.2.1 adds received
        assertThat(a.request().topVia().received()).isEqualTo("127.0.0.1");
        Flow flow = a.flow();
        assertThat(flow.transport()).isEqualTo(Transport.TCP);
        assertThat(flow.isReliable()).isTrue();
        assertThat(flow.remoteAddress()).isEqualTo(client.getLocalSocketAddress());
        assertThat(flow.id()).startsWith("tcp-");

        flow.send(SipResponse.to(a.request(), 200).build());
        assertThat(Sip.readMessage(in)).startsWith("SIP/2.0 200 ").contains("Call-ID: resp");
    }

    @Test
    void rfc3261_18_1_1_flowToReusesTheInboundConnectionFromThatAddress() throws Exception {
        out.write(Sip.bytes(Sip.options(via("z9hG4bKreuse"), "reuse")));
        out.flush();
        Flow inboundFlow = inbound.next().flow();

        Flow reused = transports.flowTo(Transport.TCP, (InetSocketAddress) client.getLocalSocketAddress())
                .get(1, TimeUnit.SECONDS);
        assertThat(reused.id()).isEqualTo(inboundFlow.id());
        assertThat(transports.connectionCount()).isEqualTo(1);

        client.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> inbound.closed.contains(inboundFlow));
        assertThat(inboundFlow.isOpen()).isFalse();
    }

    @Test
    void flowToConnectsOnceAndReusesTheOutboundConnectionBothWays() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 5, Sip.LOOPBACK)) {
            InetSocketAddress target = (InetSocketAddress) peer.getLocalSocketAddress();
            Flow flow = transports.flowTo(Transport.TCP, target).get(2, TimeUnit.SECONDS);
            assertThat(transports.flowTo(Transport.TCP, target).get(1, TimeUnit.SECONDS).id()).isEqualTo(flow.id());
            try (Socket accepted = peer.accept()) {
                accepted.setSoTimeout(3000);
                flow.send(Sip.bytes(Sip.options("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo", "outbound")));
                String request = Sip.readMessage(accepted.getInputStream());
                assertThat(request).startsWith("OPTIONS ").contains("Call-ID: outbound");

                // the peer answers on the same connection: the response arrives with the same flow
                accepted.getOutputStream().write(Sip.bytes("SIP/2.0 200 OK\r\n"
                        + "Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo\r\nFrom: <sip:a@b>;tag=1\r\n"
                        + "To: <sip:c@d>;tag=2\r\nCall-ID: outbound\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"));
                Sip.Arrival a = inbound.next();
                assertThat(a.response().status()).isEqualTo(200);
                assertThat(a.flow().id()).isEqualTo(flow.id());
            }
            // the peer closed: the flow is forgotten and the next flowTo connects anew
            await().atMost(Duration.ofSeconds(2)).until(() -> !flow.isOpen());
            Flow again = transports.flowTo(Transport.TCP, target).get(2, TimeUnit.SECONDS);
            assertThat(again.id()).isNotEqualTo(flow.id());
            peer.accept().close();
        }
    }

    @Test
    void flowToAClosedPortFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, Sip.LOOPBACK)) {
            port = s.getLocalPort();
        }
        assertThat(transports.flowTo(Transport.TCP, Sip.loopback(port)))
                .failsWithin(Duration.ofSeconds(3));
    }

    @Test
    void javaNioWorksWhereEpollIsNotWanted() throws Exception {
        Sip.Recorder nioInbound = new Sip.Recorder();
        try (SipTransports nio = new SipTransports(TransportConfig.builder().bindAddress(Sip.LOOPBACK).udpPort(0)
                .tcpPort(0).tlsPort(-1).ioThreads(1).nativeTransport(false).build(), nioInbound);
                java.net.DatagramSocket udpClient = new java.net.DatagramSocket(Sip.loopback(0))) {
            nio.start();
            try (Socket s = new Socket(Sip.LOOPBACK, nio.boundPort(Transport.TCP))) {
                s.setSoTimeout(3000);
                s.getOutputStream().write(Sip.bytes(Sip.options(via("z9hG4bKnio"), "nio-tcp")));
                Sip.Arrival a = nioInbound.next();
                a.flow().send(SipResponse.to(a.request(), 200).build());
                assertThat(Sip.readMessage(s.getInputStream())).startsWith("SIP/2.0 200 ");
            }
            byte[] b = Sip.bytes(Sip.options("SIP/2.0/UDP 127.0.0.1;rport;branch=z9hG4bKnioudp", "nio-udp"));
            udpClient.send(new java.net.DatagramPacket(b, b.length, Sip.loopback(nio.boundPort(Transport.UDP))));
            Sip.Arrival a = nioInbound.next();
            assertThat(a.request().topVia().rport()).isEqualTo(udpClient.getLocalPort());
        }
    }
}
