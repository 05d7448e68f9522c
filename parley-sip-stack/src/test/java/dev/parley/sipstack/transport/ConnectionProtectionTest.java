package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection caps and idle timeouts on inbound TCP. */
class ConnectionProtectionTest {
    private final Sip.Recorder inbound = new Sip.Recorder();
    private final List<Socket> sockets = new ArrayList<>();
    private SipTransports transports;

    private void start(TransportConfig.Builder b) {
        transports = new SipTransports(b.bindAddress(Sip.LOOPBACK).udpPort(-1).tcpPort(0).tlsPort(-1).ioThreads(1)
                .build(), inbound);
        transports.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        transports.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(Sip.LOOPBACK, transports.boundPort(Transport.TCP));
        s.setSoTimeout(3000);
        sockets.add(s);
        return s;
    }

    /** Sends an OPTIONS and returns the flow it arrived on: proof the connection was accepted and kept. */
    private Flow exchange(Socket s, String callId) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(Sip.bytes(Sip.options("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK" + callId, callId)));
        out.flush();
        Sip.Arrival a = inbound.next();
        assertThat(a.request().callId()).isEqualTo(callId);
        return a.flow();
    }

    /** True when the server closed the connection (EOF or reset) within the socket timeout. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void aConnectionOverThePerAddressCapIsClosedAtOnce_andTheSlotIsFreedOnClose() throws Exception {
        start(TransportConfig.builder().maxConnectionsPerAddress(2));
        Socket first = connect();
        exchange(first, "c1");
        exchange(connect(), "c2");

        Socket third = connect();
        assertThat(closedByServer(third)).isTrue();

        first.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> transports.connectionCount() == 1);
        exchange(connect(), "c4");
    }

    @Test
    void aConnectionOverTheTotalCapIsClosed() throws Exception {
        start(TransportConfig.builder().maxConnections(1));
        exchange(connect(), "only");
        assertThat(closedByServer(connect())).isTrue();
    }

    @Test
    void anIdleUnauthenticatedConnectionIsClosedAfterTheTimeout() throws Exception {
        start(TransportConfig.builder().unauthenticatedIdleTimeout(Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        Socket s = connect();
        assertThat(closedByServer(s)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void tricklingBytesWithoutACompleteMessageDoesNotKeepAConnectionOpen() throws Exception {
        start(TransportConfig.builder().unauthenticatedIdleTimeout(Duration.ofMillis(300)));
        Socket s = connect();
        s.setSoTimeout(100);
        byte[] partial = Sip.bytes(Sip.options("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKslow", "slow"));
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        boolean closed = false;
        for (int i = 0; i < 200 && !closed && System.nanoTime() < deadline; i++) {
            try {
                s.getOutputStream().write(partial[i]);
                closed = s.getInputStream().read() == -1;
            } catch (java.net.SocketTimeoutException stillOpen) {
                // no answer yet, keep trickling
            } catch (SocketException reset) {
                closed = true;
            }
        }
        assertThat(closed).isTrue();
        assertThat(inbound.arrivals).isEmpty();
    }

    @Test
    void anAuthenticatedConnectionOutlivesTheShortTimeout() throws Exception {
        start(TransportConfig.builder().unauthenticatedIdleTimeout(Duration.ofMillis(300)));
        inbound.onRequest = (request, flow) -> flow.markAuthenticated();
        Socket s = connect();
        Flow flow = exchange(s, "register");
        Thread.sleep(900);
        assertThat(flow.isOpen()).isTrue();
        assertThat(exchange(s, "later").id()).isEqualTo(flow.id());
        assertThat(inbound.closed).isEmpty();
    }

    @Test
    void anAuthenticatedConnectionIsClosedAfterTheLongTimeoutWhenOneIsSet() throws Exception {
        start(TransportConfig.builder().unauthenticatedIdleTimeout(Duration.ofMillis(200))
                .authenticatedIdleTimeout(Duration.ofMillis(600)));
        inbound.onRequest = (request, flow) -> flow.markAuthenticated();
        Socket s = connect();
        Flow flow = exchange(s, "register");
        Thread.sleep(350);
        assertThat(flow.isOpen()).isTrue();
        assertThat(closedByServer(s)).isTrue();
        await().atMost(Duration.ofSeconds(1)).until(() -> inbound.closed.contains(flow));
    }
}
