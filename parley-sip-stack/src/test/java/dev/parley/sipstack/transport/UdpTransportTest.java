package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** RFC 3261 §18.2 over UDP with RFC 3581, on real sockets. */
class UdpTransportTest {
    private final Sip.Recorder inbound = new Sip.Recorder();
    private SipTransports transports;
    private DatagramSocket client;
    private InetSocketAddress server;

    @BeforeEach
    void start() throws Exception {
        transports = new SipTransports(TransportConfig.builder().bindAddress(Sip.LOOPBACK).udpPort(0).tcpPort(-1)
                .tlsPort(-1).ioThreads(1).build(), inbound);
        transports.start();
        server = Sip.loopback(transports.boundPort(Transport.UDP));
        client = new DatagramSocket(new InetSocketAddress(Sip.LOOPBACK, 0));
        client.setSoTimeout(3000);
    }

    @AfterEach
    void stop() {
        client.close();
        transports.close();
    }

    private void send(String text) throws Exception {
        byte[] b = Sip.bytes(text);
        client.send(new DatagramPacket(b, b.length, server));
    }

    private static String receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
        socket.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void rfc3581_rportIsFilledWithTheSourcePortAndReceivedIsAdded_responsesGoToTheSourcePort() throws Exception {
        // sent-by names another host and port: only the packet's source may count (NAT)
        send(Sip.options("SIP/2.0/UDP 192.0.2.1:5999;rport;branch=z9hG4bKudp1", "udp-1"));

        Sip.Arrival a = inbound.next();
        Via top = a.request().topVia();
        assertThat(top.received()).isEqualTo("127.0.0.1");
        assertThat(top.rport()).isEqualTo(client.getLocalPort());
        assertThat(top.branch()).isEqualTo("z9hG4bKudp1");
        assertThat(a.thread()).startsWith("parley-sip-io-");
        Flow flow = a.flow();
        assertThat(flow.transport()).isEqualTo(Transport.UDP);
        assertThat(flow.remoteAddress()).isEqualTo(client.getLocalSocketAddress());
        assertThat(flow.id()).isEqualTo("udp-127.0.0.1:" + client.getLocalPort());
        assertThat(flow.isOpen()).isTrue();

        flow.send(SipResponse.to(a.request(), 200).build());
        String reply = receive(client);
        assertThat(reply).startsWith("SIP/2.0 200 ")
                .contains("received=127.0.0.1").contains("rport=" + client.getLocalPort());
    }

    @Test
    void rfc3261_18_2_2_withoutRportResponsesGoToTheSentByPortAtTheSourceAddress() throws Exception {
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(Sip.LOOPBACK, 0))) {
            other.setSoTimeout(3000);
            send(Sip.options("SIP/2.0/UDP 127.0.0.1:" + other.getLocalPort() + ";branch=z9hG4bKudp2", "udp-2"));

            Sip.Arrival a = inbound.next();
            // sent-by is the source address: RFC 3261 §18.2.1 adds nothing
            assertThat(a.request().topVia().received()).isNull();
            assertThat(a.flow().remoteAddress()).isEqualTo(other.getLocalSocketAddress());

            a.flow().send(SipResponse.to(a.request(), 200).build());
            assertThat(receive(other)).startsWith("SIP/2.0 200 ").contains("z9hG4bKudp2");
        }
    }

    @Test
    void malformedRequestsAreAnsweredWithTheirViaAndOneDebugLine_responsesAndGarbageAreDropped() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DatagramSipHandler.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(log);
        try {
            send(Sip.options("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bKbad", "bad-cseq")
                    .replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS"));
            String reply = receive(client);
            assertThat(reply).startsWith("SIP/2.0 400 ")
                    .contains("branch=z9hG4bKbad").contains("received=127.0.0.1")
                    .contains("rport=" + client.getLocalPort())
                    .contains("Call-ID: bad-cseq");
            assertThat(SipResponseText.toTag(reply)).isNotEmpty(); // RFC 3261 §8.2.6.2

            // a malformed response and garbage get nothing: the next datagram to arrive answers the SIP/3.0 request
            send("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKr\r\nCSeq: x\r\n\r\n");
            send("\u0000\u0001 this is not SIP at all\r\n\r\n");
            send(Sip.options("SIP/3.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKv3", "v3")
                    .replace("OPTIONS sip:parley@127.0.0.1 SIP/2.0", "OPTIONS sip:parley@127.0.0.1 SIP/3.0"));
            assertThat(receive(client)).startsWith("SIP/2.0 505 ").contains("z9hG4bKv3");

            assertThat(inbound.arrivals).isEmpty();
            assertThat(log.list).hasSize(4).allSatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(e.getThrowableProxy()).isNull();
            });
        } finally {
            logger.detachAppender(log);
            logger.setLevel(before);
        }
    }

    @Test
    void keepAliveDatagramsAreIgnored() throws Exception {
        send("\r\n\r\n");
        send(Sip.options("SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKka", "after-ka"));
        assertThat(inbound.next().request().callId()).isEqualTo("after-ka");
        assertThat(inbound.arrivals.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void responsesArriveWithTheFlowOfTheirSource() throws Exception {
        send("SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKresp\r\n"
                + "From: <sip:parley@127.0.0.1>;tag=p\r\nTo: <sip:bob@127.0.0.1>;tag=b\r\nCall-ID: resp-1\r\n"
                + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        Sip.Arrival a = inbound.next();
        assertThat(a.response().status()).isEqualTo(180);
        assertThat(a.flow().remoteAddress()).isEqualTo(client.getLocalSocketAddress());
    }

    @Test
    void flowToSendsFromTheListeningSocket() throws Exception {
        Flow flow = transports.flowTo(Transport.UDP, (InetSocketAddress) client.getLocalSocketAddress())
                .get(1, TimeUnit.SECONDS);
        flow.send(Sip.bytes(Sip.options("SIP/2.0/UDP 127.0.0.1:" + server.getPort() + ";branch=z9hG4bKout", "out")));
        DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
        client.receive(p);
        assertThat(p.getSocketAddress()).isEqualTo(server);
        assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)).contains("Call-ID: out");
    }

    @Test
    void onePeerHasOneFlow_anotherPeerItsOwn() throws Exception {
        // UdpFlows: what arrives from one address and what is sent to it share a flow, so that transactions waiting
        // out their timers do not each keep one
        send(Sip.options("SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKone1", "one-1"));
        send(Sip.options("SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKone2", "one-2"));
        send("SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKone3\r\n"
                + "From: <sip:parley@127.0.0.1>;tag=p\r\nTo: <sip:bob@127.0.0.1>;tag=b\r\nCall-ID: one-3\r\n"
                + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        Flow first = inbound.next().flow();
        assertThat(inbound.next().flow()).isSameAs(first);
        assertThat(inbound.next().flow()).isSameAs(first);
        assertThat(transports.flowTo(Transport.UDP, (InetSocketAddress) client.getLocalSocketAddress())
                .get(1, TimeUnit.SECONDS)).isSameAs(first);

        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(Sip.LOOPBACK, 0))) {
            other.setSoTimeout(3000);
            byte[] b = Sip.bytes(Sip.options("SIP/2.0/UDP 127.0.0.1:" + other.getLocalPort()
                    + ";branch=z9hG4bKother", "other"));
            other.send(new DatagramPacket(b, b.length, server));
            Sip.Arrival a = inbound.next();
            assertThat(a.flow()).isNotSameAs(first).isNotEqualTo(first);
            assertThat(a.flow().remoteAddress()).isEqualTo(other.getLocalSocketAddress());
            a.flow().send(SipResponse.to(a.request(), 200).build());
            assertThat(receive(other)).startsWith("SIP/2.0 200 ").contains("z9hG4bKother");
        }
    }

    @Test
    void largeDatagramsAreNotTruncated() throws Exception {
        String body = "v=0\r\n" + "a=x-padding:" + "p".repeat(6000) + "\r\n";
        send(Sip.options("SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKbig", "big")
                .replace("Content-Length: 0\r\n", "Content-Type: application/sdp\r\nContent-Length: "
                        + body.length() + "\r\n") + body);
        assertThat(inbound.next().message().body().length()).isEqualTo(body.length());
    }

    @Test
    void aBurstOfDatagramsArrivesWholeAndInOrder() throws Exception {
        // sent back to back, several wait in the socket at once: each must come out as its own message, in order,
        // the large one in the middle not cut (a batched read, as recvmmsg(2) on branch iocut, must keep this)
        String body = "v=0\r\n" + "a=x-padding:" + "p".repeat(40_000) + "\r\n";
        int count = 24;
        for (int i = 0; i < count; i++) {
            String options = Sip.options("SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bKb" + i,
                    "burst-" + i);
            send(i != count / 2 ? options : options.replace("Content-Length: 0\r\n",
                    "Content-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n") + body);
        }
        for (int i = 0; i < count; i++) {
            SipMessage m = inbound.next().message();
            assertThat(m.callId()).isEqualTo("burst-" + i);
            assertThat(m.body().length()).isEqualTo(i != count / 2 ? 0 : body.length());
        }
    }

    /** Reads the To tag from response text. */
    static final class SipResponseText {
        static String toTag(String response) {
            for (String line : response.split("\r\n")) {
                if (line.startsWith("To:")) {
                    int i = line.indexOf(";tag=");
                    return i < 0 ? "" : line.substring(i + 5);
                }
            }
            return "";
        }
    }
}
