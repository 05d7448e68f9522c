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

/** A fake phone's media socket on 127.0.0.1: sends datagrams and waits for what arrives. */
final class Peer implements AutoCloseable {
    private final DatagramSocket socket;

    Peer() {
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

    /** The next datagram; fails the test after five seconds of nothing. */
    byte[] receive() {
        return receiveWithin(5000).orElseThrow(() -> new AssertionError("nothing arrived at " + address()));
    }

    /** The next datagram whose second octet (the RTCP packet type or RTP marker+PT) passes the filter. */
    byte[] receiveRtcp() {
        for (int i = 0; i < 100; i++) {
            byte[] b = receive();
            if ((b[1] & 0xFF) >= 192 && (b[1] & 0xFF) <= 223) {
                return b;
            }
        }
        throw new AssertionError("no RTCP at " + address());
    }

    Optional<byte[]> receiveWithin(int millis) {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout(Math.max(1, millis));
            socket.receive(packet);
            return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
