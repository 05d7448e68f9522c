package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.sipstack.flow.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Datagrams a lane sends on the listening UDP socket, on real sockets: straight from the calling thread on a native
 * socket, through the event loop on NIO or while a send is queued there; whole and in order every way.
 */
class DirectDatagramSendTest {
    private final Sip.Recorder inbound = new Sip.Recorder();
    private SipTransports transports;
    private DatagramSocket client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (transports != null) {
            transports.close();
        }
    }

    /** A flow to {@code client} as the transport made it for a request from there. */
    private UdpFlow flowToClient(boolean nativeTransport) throws Exception {
        transports = new SipTransports(TransportConfig.builder().bindAddress(Sip.LOOPBACK).udpPort(0).tcpPort(-1)
                .tlsPort(-1).ioThreads(1).nativeTransport(nativeTransport).build(), inbound);
        transports.start();
        client = new DatagramSocket(new InetSocketAddress(Sip.LOOPBACK, 0));
        client.setSoTimeout(3000);
        client.setReceiveBufferSize(4 << 20);
        byte[] b = Sip.bytes(Sip.options("SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";rport;branch=z9hG4bKd1",
                "direct-1"));
        client.send(new DatagramPacket(b, b.length, Sip.loopback(transports.boundPort(Transport.UDP))));
        return (UdpFlow) inbound.next().flow();
    }

    /** Messages of 1 to 60,000 octets, each numbered at its start. */
    private static List<byte[]> messages(int count) {
        Random random = new Random(4711);
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = i == 0 ? 60_000 : 16 + random.nextInt(i % 10 == 0 ? 30_000 : 1_400);
            byte[] m = new byte[size];
            Arrays.fill(m, (byte) ('a' + i % 26));
            byte[] n = String.format("%05d", i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, m, 0, n.length);
            all.add(m);
        }
        return all;
    }

    private void assertReceivedInOrder(List<byte[]> sent) throws Exception {
        for (byte[] m : sent) {
            DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
            client.receive(p);
            assertThat(Arrays.copyOf(p.getData(), p.getLength())).as("message %s", new String(m, 0, 5,
                    StandardCharsets.US_ASCII)).isEqualTo(m);
        }
    }

    @Test
    void nativeSocket_sendsFromTheCallingThread_wholeAndInOrder() throws Exception {
        UdpFlow flow = flowToClient(true);
        assertThat(flow.sender().isDirect()).as("epoll on this machine").isTrue();
        List<byte[]> sent = messages(40);
        for (byte[] m : sent) {
            assertThat(flow.sender().trySend(m, flow.remoteAddress())).as("the kernel takes it at once").isTrue();
        }
        assertReceivedInOrder(sent);
        List<byte[]> more = messages(40);
        for (byte[] m : more) {
            flow.send(m);
        }
        assertReceivedInOrder(more);
    }

    @Test
    void whileASendIsQueuedOnTheChannel_laterOnesQueueBehindIt() throws Exception {
        UdpFlow flow = flowToClient(true);
        DirectDatagramSend sender = flow.sender();
        sender.queuedSend(); // as if the kernel had refused one a moment ago and the event loop held it
        assertThat(sender.trySend(new byte[] {'x'}, flow.remoteAddress())).isFalse();
        List<byte[]> sent = messages(20);
        for (byte[] m : sent) {
            flow.send(m); // through the channel, in order
        }
        assertReceivedInOrder(sent);
        sender.queuedDone();
        // nothing queued once the channel's listeners have run (they may trail the datagrams): direct again
        await().atMost(Duration.ofSeconds(2)).until(() -> sender.trySend(sent.get(3), flow.remoteAddress()));
        assertReceivedInOrder(List.of(sent.get(3)));
    }

    @Test
    void nioSocket_sendsThroughTheChannel() throws Exception {
        UdpFlow flow = flowToClient(false);
        assertThat(flow.sender().isDirect()).isFalse();
        assertThat(flow.sender().trySend(new byte[] {'x'}, flow.remoteAddress())).isFalse();
        List<byte[]> sent = messages(20);
        for (byte[] m : sent) {
            flow.send(m);
        }
        assertReceivedInOrder(sent);
    }

    @Test
    void aClosedSocketSendsNothingDirect() throws Exception {
        UdpFlow flow = flowToClient(true);
        transports.close();
        assertThat(flow.sender().trySend(new byte[] {'x'}, flow.remoteAddress())).isFalse();
        flow.send(new byte[] {'y'}); // fails in the channel, logged at debug; no exception here
    }
}
