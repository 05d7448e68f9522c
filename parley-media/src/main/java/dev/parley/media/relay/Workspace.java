package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.rtcp.RtcpCompound;
import dev.parley.rtp.rtcp.RtcpWriter;
import dev.parley.rtp.rtcp.SenderReport;
import io.netty.util.concurrent.FastThreadLocal;

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

    static Workspace current() {
        return CURRENT.get();
    }
}
