package dev.parley.rtp.dtls;

import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The {@link DatagramTransport} Bouncy Castle's DTLS protocols block on: datagrams the media plane received wait in
 * a bounded queue for the handshake thread; datagrams Bouncy Castle sends go to a callback at once. The queue
 * side never blocks its producer: when full, a datagram is dropped, as a full socket buffer would drop it, and
 * the peer's retransmission recovers.
 */
final class QueueDatagramTransport implements DatagramTransport {
    /** Largest datagram accepted: a peer with a 1500-octet path MTU fits; anything longer is not DTLS we read. */
    static final int RECEIVE_LIMIT = 2048;

    /** Put in the queue by {@link #shutDown()}: wakes the handshake thread, which then leaves Bouncy Castle. */
    private static final byte[] SHUTDOWN = new byte[0];

    /** Thrown into Bouncy Castle when the session is closed; an InterruptedIOException passes through it as is. */
    static final class ShutdownSignal extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        ShutdownSignal() {
            super("DTLS session closed");
        }
    }

    private final BlockingQueue<byte[]> inbound;
    private final Consumer<byte[]> outbound;
    private final int sendLimit;
    private volatile boolean shutDown;
    private volatile boolean closedByProtocol;

    QueueDatagramTransport(int capacity, int mtu, Consumer<byte[]> outbound) {
        this.inbound = new ArrayBlockingQueue<>(capacity + 1); // +1 keeps room for SHUTDOWN
        this.outbound = outbound;
        this.sendLimit = mtu;
    }

    /** From any thread: queue a copy of a received datagram. False when dropped (queue full, shut down, too long). */
    boolean offer(byte[] datagram, int offset, int length) {
        if (shutDown || length > RECEIVE_LIMIT || inbound.remainingCapacity() <= 1) {
            return false;
        }
        return inbound.offer(Arrays.copyOfRange(datagram, offset, offset + length));
    }

    /** From any thread: make the handshake thread's current or next {@code receive} throw {@link ShutdownSignal}. */
    void shutDown() {
        shutDown = true;
        inbound.clear();
        inbound.offer(SHUTDOWN);
    }

    boolean closedByProtocol() {
        return closedByProtocol;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    /** Bouncy Castle's wait: {@code waitMillis} 0 means no limit (its timers always pass a positive wait). */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws InterruptedIOException {
        byte[] datagram;
        try {
            datagram = waitMillis <= 0 ? inbound.take() : inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShutdownSignal();
        }
        if (datagram == null) {
            return -1; // timeout: Bouncy Castle retransmits its flight or gives up by its own clock
        }
        if (datagram == SHUTDOWN) {
            inbound.offer(SHUTDOWN); // every later receive must see it too
            throw new ShutdownSignal();
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        outbound.accept(Arrays.copyOfRange(buf, off, off + len));
    }

    /** Bouncy Castle closes its transport after a close_notify or a fatal alert, in either direction. */
    @Override
    public void close() {
        closedByProtocol = true;
        shutDown();
    }
}
