package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The generator's socket on a real pair of sockets on 127.0.0.1: what {@code recvmmsg} through the FFM API returns —
 * each datagram's bytes, length, sender port, and the kernel's receive stamp parsed from its control message — and
 * the control-message walk on hand-made buffers for what the kernel did not send here. No timing asserted beyond
 * the order of clock readings (the kernel's stamp lies between the sender's clock before its send and the
 * receiver's after the read).
 */
class BatchUdpSocketTest {

    @Test
    void eachDatagramComesWithItsLengthSenderAndTheKernelsReceiveStamp() throws Exception {
        try (BatchUdpSocket sender = new BatchUdpSocket(1 << 20, 1 << 20);
                BatchUdpSocket receiver = new BatchUdpSocket(1 << 20, 1 << 20)) {
            int count = 3;
            long before = sender.clockRealtimeNanos();
            for (int i = 0; i < count; i++) {
                byte[] packet = new byte[100 + i];
                packet[0] = (byte) (0x40 + i);
                sender.queue(packet, packet.length, new java.net.InetSocketAddress("127.0.0.1", receiver.port()), i);
            }
            int[] sent = new int[1];
            assertThat(sender.flush(tag -> sent[0]++)).isZero();
            assertThat(sent[0]).isEqualTo(count);
            int n = 0;
            for (int attempt = 0; attempt < 1000 && n == 0; attempt++) {
                n = receiver.receive();
                if (n == 0) {
                    Thread.sleep(1);
                }
            }
            long after = receiver.clockRealtimeNanos();
            assertThat(n).isEqualTo(count); // loopback: all three are queued once sendmmsg returns
            long previous = before;
            for (int i = 0; i < n; i++) {
                assertThat(receiver.length(i)).isEqualTo(100 + i);
                assertThat(receiver.data().getByte(i * BatchUdpSocket.SLOT)).isEqualTo((byte) (0x40 + i));
                assertThat(receiver.sourcePort(i)).isEqualTo(sender.port());
                long stamp = receiver.kernelStampNanos(i);
                assertThat(stamp).as("datagram %d's stamp", i).isBetween(previous, after);
                previous = stamp; // in the order they were sent
            }
            // a read after the queue is empty returns none, and the next datagram gets a stamp again
            assertThat(receiver.receive()).isZero();
            sender.queue(new byte[50], 50, new java.net.InetSocketAddress("127.0.0.1", receiver.port()), 0);
            sender.flush(tag -> { });
            Thread.sleep(5);
            assertThat(receiver.receive()).isEqualTo(1);
            assertThat(receiver.length(0)).isEqualTo(50);
            assertThat(receiver.kernelStampNanos(0)).isGreaterThanOrEqualTo(previous);
        }
    }

    @Test
    void theWalkFindsTheTimestampBehindAnotherMessageAndRejectsWhatIsCutShort() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(128, 8);
            // first message: SOL_IP (0) / IP_TTL (2), an int, padded to 24 octets; then SOL_SOCKET/SCM_TIMESTAMPNS
            control.set(ValueLayout.JAVA_LONG, 0, 20);
            control.set(ValueLayout.JAVA_INT, 8, 0);
            control.set(ValueLayout.JAVA_INT, 12, 2);
            control.set(ValueLayout.JAVA_LONG, 24, 32);
            control.set(ValueLayout.JAVA_INT, 32, 1);
            control.set(ValueLayout.JAVA_INT, 36, BatchUdpSocket.SCM_TIMESTAMPNS);
            control.set(ValueLayout.JAVA_LONG, 40, 1_700_000_000L);
            control.set(ValueLayout.JAVA_LONG, 48, 123_456_789L);
            assertThat(BatchUdpSocket.timestampIn(control, 0, 56)).isEqualTo(1_700_000_000_123_456_789L);
            // the same message at an offset (a slot of the control buffer)
            assertThat(BatchUdpSocket.timestampIn(control, 24, 32)).isEqualTo(1_700_000_000_123_456_789L);
            // cut short (MSG_CTRUNC: the kernel's msg_controllen ends inside the message), none, or only the other
            assertThat(BatchUdpSocket.timestampIn(control, 0, 50)).isEqualTo(-1);
            assertThat(BatchUdpSocket.timestampIn(control, 0, 0)).isEqualTo(-1);
            assertThat(BatchUdpSocket.timestampIn(control, 0, 24)).isEqualTo(-1);
            // a length below a header's would loop forever if taken
            control.set(ValueLayout.JAVA_LONG, 0, 0);
            assertThat(BatchUdpSocket.timestampIn(control, 0, 56)).isEqualTo(-1);
        }
    }
}
