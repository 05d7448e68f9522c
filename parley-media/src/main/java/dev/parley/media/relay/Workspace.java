package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.rtcp.RtcpCompound;
import dev.parley.rtp.rtcp.RtcpWriter;
import dev.parley.rtp.rtcp.SenderReport;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The reusable objects one event loop thread works with, so the packet path allocates nothing of its own: the
 * buffer a datagram is copied into and transformed in place (with room for the SRTP trailer), and the views
 * over it. Per thread rather than per loop object: during a move between loops an endpoint's packets may already
 * be read on its new loop.
 */
final class Workspace {
    /** Room for a datagram up to a typical MTU and well beyond, plus the SRTP trailer. */
    static final int CAPACITY = 4096;
    /** The largest datagram that still leaves room for any SRTP/SRTCP trailer. */
    static final int MAX_DATAGRAM = CAPACITY - 64;
    /** {@link ByteBuf#getLong} is big-endian: written back the same way, the octets keep their order. */
    private static final VarHandle OCTETS_AS_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private static final FastThreadLocal<Workspace> CURRENT = new FastThreadLocal<>() {
        @Override
        protected Workspace initialValue() {
            return new Workspace();
        }
    };

    final byte[] array = new byte[CAPACITY];
    final PacketBuffer buffer = new PacketBuffer(array, 0, 0);
    final RtpPacket rtp = new RtpPacket();
    final RtcpCompound compound = new RtcpCompound();
    final SenderReport senderReport = new SenderReport();
    final RtcpWriter writer = new RtcpWriter();
    final VideoFeedback videoFeedback = new VideoFeedback();
    final DirectSend directSend = new DirectSend(CAPACITY);

    static Workspace current() {
        return CURRENT.get();
    }

    /**
     * Copies a received datagram into {@link #array}. Netty 4.2 implements {@code getBytes(int, byte[], ...)} of
     * a pooled or adaptive direct buffer with a fresh {@code ByteBuffer.duplicate()} per call (seen in a JFR
     * allocation profile of the relay), and the NIO view of the slice a datagram arrives in costs a duplicate and
     * a slice: one or two objects per packet. Eight octets at a time through {@code getLong}, which reads the
     * buffer's memory in place, copies without any (a bulk copy out of the loop's {@link ReceiveBuffer} was tried:
     * in flight recordings at 1000 SRTP calls both cost the same, 5-7 % of the relay's Java samples).
     */
    void copyIn(ByteBuf content, int length) {
        int from = content.readerIndex();
        if (content.hasArray()) {
            System.arraycopy(content.array(), content.arrayOffset() + from, array, 0, length);
            return;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            OCTETS_AS_LONG.set(array, i, content.getLong(from + i));
        }
        for (; i < length; i++) {
            array[i] = content.getByte(from + i);
        }
    }
}
