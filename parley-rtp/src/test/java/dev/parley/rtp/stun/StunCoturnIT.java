package dev.parley.rtp.stun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parley-rtp's STUN codec against coturn 4.6 (Debian {@code coturn}, installed by {@code ./parley test}), an
 * independent implementation, over real UDP on 127.0.0.1: coturn's {@code turnserver -S} answers Parley's
 * Binding request, and coturn's {@code turnutils_stunclient} decodes Parley's answer. Neither side uses
 * credentials (coturn's STUN client has no short-term mode); MESSAGE-INTEGRITY is covered by RFC 5769's vectors.
 */
class StunCoturnIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static Process turnserver;
    private static int turnPort;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startTurnserver() throws Exception {
        turnPort = freeUdpPort();
        turnserver = new ProcessBuilder("turnserver", "-c", "/dev/null", "--stun-only", "--no-auth",
                "--listening-ip", "127.0.0.1", "--listening-port", Integer.toString(turnPort), "--no-tls", "--no-dtls",
                "--no-cli", "--userdb", dir.resolve("turndb").toString(), "--pidfile", dir.resolve("pid").toString(),
                "--log-file", dir.resolve("turn.log").toString(), "--simple-log", "--no-stdout-log")
                .redirectErrorStream(true).redirectOutput(dir.resolve("turn.out").toFile()).start();
    }

    @AfterAll
    static void stopTurnserver() throws Exception {
        if (turnserver != null) {
            turnserver.destroy();
            if (!turnserver.waitFor(5, TimeUnit.SECONDS)) {
                turnserver.destroyForcibly();
            }
        }
    }

    @Test
    void coturnAnswersParleysBindingRequestAndParleyReadsTheAnswer() throws Exception {
        byte[] transactionId = new byte[12];
        new SplittableRandom().nextBytes(transactionId);
        byte[] request = new byte[100];
        int n = new StunWriter().begin(request, 0, 100, StunClass.REQUEST.type(StunMessage.BINDING), transactionId, 0)
                .text(StunAttribute.SOFTWARE, "parley-rtp test")
                .fingerprint()
                .finish();
        StunMessage answer = new StunMessage();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(200);
            byte[] in = new byte[1500];
            DatagramPacket received = new DatagramPacket(in, in.length);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean got = false;
            while (!got && System.nanoTime() < deadline) { // turnserver takes a moment to bind
                socket.send(new DatagramPacket(request, n, LOOPBACK, turnPort));
                try {
                    socket.receive(received);
                    got = true;
                } catch (SocketTimeoutException e) {
                    assertThat(turnserver.isAlive()).as("turnserver exited: see %s", dir.resolve("turn.log")).isTrue();
                }
            }
            assertThat(got).as("an answer from turnserver on 127.0.0.1:%d", turnPort).isTrue();

            assertThat(answer.wrap(in, 0, received.getLength())).isEqualTo(StunStatus.OK);
            assertThat(answer.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(answer.method()).isEqualTo(StunMessage.BINDING);
            assertThat(answer.transactionId()).isEqualTo(transactionId);
            assertThat(answer.hasFingerprint()).as("coturn answers FINGERPRINT with FINGERPRINT").isTrue();
            TransportAddress mapped = answer.xorMappedAddress();
            assertThat(mapped).isEqualTo(TransportAddress.of(LOOPBACK.getAddress(), socket.getLocalPort()));
        }
    }

    @Test
    void coturnsClientReadsParleysAnswer() throws Exception {
        AtomicReference<TransportAddress> answeredTo = new AtomicReference<>();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            server.setSoTimeout(10_000);
            Thread responder = Thread.ofVirtual().start(() -> answerOneBindingRequest(server, answeredTo));
            Process client = new ProcessBuilder("turnutils_stunclient", "-p", Integer.toString(server.getLocalPort()),
                    "127.0.0.1").redirectErrorStream(true).start();
            assertThat(client.waitFor(15, TimeUnit.SECONDS)).as("turnutils_stunclient finished").isTrue();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            server.close(); // ends the responder
            responder.join(TimeUnit.SECONDS.toMillis(5));

            assertThat(answeredTo.get()).as("Parley answered a request; client said: %s", output).isNotNull();
            // The client prints the XOR-MAPPED-ADDRESS it decoded: it must be the address Parley saw.
            assertThat(output).contains("UDP reflexive addr: " + answeredTo.get());
        }
    }

    /** A minimal STUN server from parley-rtp's view and writer: XOR-MAPPED-ADDRESS and FINGERPRINT. */
    private static void answerOneBindingRequest(DatagramSocket server, AtomicReference<TransportAddress> answeredTo) {
        StunMessage request = new StunMessage();
        StunWriter writer = new StunWriter();
        PacketBuffer out = new PacketBuffer(1500);
        byte[] in = new byte[1500];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(in, in.length);
                server.receive(packet);
                if (request.wrap(in, 0, packet.getLength()) != StunStatus.OK || !request.isBindingRequest()) {
                    continue;
                }
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                TransportAddress source = TransportAddress.of(from.getAddress().getAddress(), from.getPort());
                writer.beginResponse(out, request, StunClass.SUCCESS_RESPONSE).xorMappedAddress(source);
                if (request.hasFingerprint()) {
                    writer.fingerprint();
                }
                assertThat(writer.finish(out)).isTrue();
                server.send(new DatagramPacket(out.array(), out.offset(), out.length(), from));
                answeredTo.compareAndSet(null, source);
            }
        } catch (IOException e) {
            // closed by the test, or timed out: the test's assertion on answeredTo reports it
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return probe.getLocalPort();
        }
    }
}
