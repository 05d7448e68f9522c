package dev.parley.media.relay;

import dev.parley.rtp.rtcp.FeedbackPacket;
import dev.parley.rtp.rtcp.ReceiverReport;
import dev.parley.rtp.rtcp.RtcpCompound;
import dev.parley.rtp.rtcp.RtcpPacket;
import dev.parley.rtp.rtcp.RtcpStatus;
import dev.parley.rtp.rtcp.SenderReport;
import java.util.function.IntUnaryOperator;

/**
 * Which RTCP from a browser is about the video relayed between it and its partner browser, and so goes to the
 * partner as it is: video keeps its SSRCs end to end ({@link VideoRoute}), so the SSRCs in such RTCP are already
 * what the partner knows and nothing is rewritten. A compound packet is forwarded when it carries
 * <ul>
 *   <li>transport or payload-specific feedback (RFC 4585 §6: generic NACK, PLI; RFC 5104 §4.3.1: FIR) whose media
 *       source, or FIR entry, is a video SSRC of the partner's browser. Without it the sender never learns of a
 *       lost packet nor sends a key frame after one, and the receiver decodes nothing more;</li>
 *   <li>a report block about such a source (the sender's loss-based bandwidth estimate and round-trip time);</li>
 *   <li>a sender report from one of this browser's own video SSRCs (the receiver's RTT and lip sync).</li>
 * </ul>
 * Everything else (audio reports) stays with Parley, which terminates the audio leg's RTCP. A malformed compound
 * is not forwarded. Not thread-safe: one instance per loop's {@link Workspace}.
 */
final class VideoFeedback {
    private final RtcpCompound compound = new RtcpCompound();
    private final FeedbackPacket feedback = new FeedbackPacket();
    private final SenderReport senderReport = new SenderReport();
    private final ReceiverReport receiverReport = new ReceiverReport();

    /**
     * @param own     video SSRCs this browser sends
     * @param partner video SSRCs the partner's browser sends (this browser receives them through Parley)
     */
    boolean concernsVideo(byte[] array, int offset, int length, VideoSources own, VideoSources partner) {
        compound.reset(array, offset, length);
        boolean video = false;
        while (compound.next()) {
            RtcpPacket p = compound.packet();
            switch (p.packetType()) {
                case RtcpPacket.SR -> {
                    if (senderReport.wrap(p) == RtcpStatus.OK
                            && (own.contains(senderReport.ssrc())
                            || reportsOn(senderReport.reportCount(), senderReport::reportSsrc, partner))) {
                        video = true;
                    }
                }
                case RtcpPacket.RR -> {
                    if (receiverReport.wrap(p) == RtcpStatus.OK && reportsOn(receiverReport.reportCount(),
                            receiverReport::reportSsrc, partner)) {
                        video = true;
                    }
                }
                case RtcpPacket.RTPFB, RtcpPacket.PSFB -> {
                    if (feedback.wrap(p) == RtcpStatus.OK && aboutPartnerVideo(partner)) {
                        video = true;
                    }
                }
                default -> {
                    // SDES, BYE, APP, XR: carried along with the packet they came in, never a reason to forward
                }
            }
        }
        return video && compound.status() == RtcpStatus.OK;
    }

    private static boolean reportsOn(int blocks, IntUnaryOperator sourceOf, VideoSources partner) {
        for (int i = 0; i < blocks; i++) {
            if (partner.contains(sourceOf.applyAsInt(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean aboutPartnerVideo(VideoSources partner) {
        if (feedback.isFir()) {
            // RFC 5104 §4.3.1.2: the media source field is 0; each FCI entry names the SSRC that is to send a key frame.
            for (int i = 0; i < feedback.firCount(); i++) {
                if (partner.contains(feedback.firSsrc(i))) {
                    return true;
                }
            }
            return false;
        }
        return partner.contains(feedback.mediaSsrc());
    }
}
