package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.rtcp.RtcpWriter;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class VideoFeedbackTest {
    private static final int RECEIVER = 0x11111111;
    private static final int PARTNER_VIDEO = 0x22222222;
    private static final int OWN_VIDEO = 0x33333333;
    private static final int PARLEY_AUDIO = 0x44444444;
    private static final byte[] CNAME = "cname".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final VideoFeedback feedback = new VideoFeedback();
    private final VideoSources own = new VideoSources();
    private final VideoSources partner = new VideoSources();

    VideoFeedbackTest() {
        own.add(OWN_VIDEO);
        partner.add(PARTNER_VIDEO);
    }

    private boolean concerns(Consumer<RtcpWriter> content) {
        PacketBuffer buffer = new PacketBuffer(1500);
        RtcpWriter w = new RtcpWriter().start(buffer);
        content.accept(w);
        w.finish();
        return feedback.concernsVideo(buffer.array(), buffer.offset(), buffer.length(), own, partner);
    }

    @Test
    void pliAndNackAboutThePartnersVideoAreForwarded() {
        assertThat(concerns(w -> w.receiverReport(RECEIVER).sdesCname(RECEIVER, CNAME)
                .pli(RECEIVER, PARTNER_VIDEO))).isTrue();
        assertThat(concerns(w -> w.receiverReport(RECEIVER).sdesCname(RECEIVER, CNAME)
                .nack(RECEIVER, PARTNER_VIDEO, 1000, 0b101))).isTrue();
    }

    @Test
    void reportsOnThePartnersVideoAndOwnVideoSenderReportsAreForwarded() {
        assertThat(concerns(w -> w.receiverReport(RECEIVER).reportBlock(PARTNER_VIDEO, 0, 0, 1000, 0, 0, 0)))
                .isTrue();
        assertThat(concerns(w -> w.senderReport(OWN_VIDEO, 1L << 40, 9000, 10, 1000).sdesCname(OWN_VIDEO, CNAME)))
                .isTrue();
    }

    @Test
    void audioReportsAndFeedbackAboutOthersStayWithParley() {
        assertThat(concerns(w -> w.receiverReport(RECEIVER).reportBlock(PARLEY_AUDIO, 0, 0, 1000, 0, 0, 0)
                .sdesCname(RECEIVER, CNAME))).isFalse();
        assertThat(concerns(w -> w.receiverReport(RECEIVER).pli(RECEIVER, PARLEY_AUDIO))).isFalse();
        // An SR from the partner's SSRC is not this browser's own video.
        assertThat(concerns(w -> w.senderReport(PARTNER_VIDEO, 1L << 40, 9000, 10, 1000))).isFalse();
    }

    @Test
    void firNamesItsTargetInTheEntryNotTheMediaSource() {
        // RFC 5104 §4.3.1: PSFB FMT 4, media source 0, one FCI entry (SSRC, sequence number, reserved).
        byte[] fir = {(byte) 0x84, (byte) 206, 0, 4, 0x11, 0x11, 0x11, 0x11, 0, 0, 0, 0,
                0x22, 0x22, 0x22, 0x22, 7, 0, 0, 0};
        assertThat(feedback.concernsVideo(fir, 0, fir.length, own, partner)).isTrue();
        fir[12] = 0x55;
        assertThat(feedback.concernsVideo(fir, 0, fir.length, own, partner)).isFalse();
    }

    @Test
    void aMalformedCompoundIsNotForwarded() {
        byte[] truncated = {(byte) 0x81, (byte) 206, 0, 9, 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22};
        assertThat(feedback.concernsVideo(truncated, 0, truncated.length, own, partner)).isFalse();
    }

    @Test
    void sourcesAreBoundedOldestFirst() {
        VideoSources s = new VideoSources();
        for (int i = 0; i <= VideoSources.CAPACITY; i++) {
            s.add(i);
        }
        assertThat(s.contains(0)).isFalse();
        assertThat(s.contains(VideoSources.CAPACITY)).isTrue();
        assertThat(s.contains(1)).isTrue();
    }
}
