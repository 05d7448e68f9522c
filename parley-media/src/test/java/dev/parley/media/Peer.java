package dev.parley.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake phone's media socket on 127.0.0.1: sends datagrams and waits for what arrives from the media service
 * under test.
 *
 * <p>Only datagrams from the service's ports count. The socket's ephemeral port is a port that other programs on a
 * shared machine may send to: an RTP relay still sending to a phone that has gone, RTCP sent to a phone's RTP port
 * + 1 (RFC 3550 §11), a load test's media. Taken for the service's, such a datagram makes a test read the packet it
 * expects one receive too late (the likeliest cause of a failure of RelayIT's transfer test in CI: Bob's packet
 * where Carol's was expected). They are discarded and logged.
 */
final class Peer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Peer.class);

    private final DatagramSocket socket;
    private final int lowestServicePort;
    private final int highestServicePort;

    /** A peer that takes datagrams from 127.0.0.1 ports {@code lowestServicePort}–{@code highestServicePort}. */
    Peer(int lowestServicePort, int highestServicePort) {
        this.lowestServicePort = lowestServicePort;
        this.highestServicePort = highestServicePort;
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] data, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram from the service; fails the test after five seconds of nothing. */
    byte[] receive() {
        return receiveWithin(5000).orElseThrow(() -> new AssertionError("nothing arrived at " + address()));
    }

    /** The next RTCP datagram from the service (second octet, the RTCP packet type, in 192–223). */
    byte[] receiveRtcp() {
        for (int i = 0; i < 100; i++) {
            byte[] b = receive();
            if ((b[1] & 0xFF) >= 192 && (b[1] & 0xFF) <= 223) {
                return b;
            }
        }
        throw new AssertionError("no RTCP at " + address());
    }

    /** The next datagram from the service within {@code millis}, or empty. */
    Optional<byte[]> receiveWithin(int millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                socket.setSoTimeout((int) Math.max(1, left));
                socket.receive(packet);
                if (hears((InetSocketAddress) packet.getSocketAddress())) {
                    return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
                }
                log.warn("{} ignored a datagram of {} octets from {}: not the media service under test", address(),
                        packet.getLength(), packet.getSocketAddress());
                if (deadline - System.nanoTime() <= 0) {
                    return Optional.empty();
                }
            }
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a datagram from {@code from} counts: it came from one of the service's ports. */
    boolean hears(InetSocketAddress from) {
        return from.getAddress().isLoopbackAddress() && from.getPort() >= lowestServicePort
                && from.getPort() <= highestServicePort;
    }

    @Override
    public void close() {
        socket.close();
    }
}
