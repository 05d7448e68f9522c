package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.mediaapi.PayloadFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoRouteTest {
    private static final PayloadFormat VP8 = PayloadFormat.of(96, "VP8", 90_000);
    private static final PayloadFormat H264_MODE1 = new PayloadFormat(102, "H264", 90_000, 1,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
    private static final PayloadFormat H264_MODE0 = new PayloadFormat(104, "H264", 90_000, 1,
            "level-asymmetry-allowed=1;profile-level-id=42001f");

    @Test
    void samePayloadTypesMapToThemselvesAndAudioIsNotVideo() {
        VideoRoute r = VideoRoute.between(List.of(VP8, H264_MODE1), List.of(VP8, H264_MODE1));
        assertThat(r.outputType(96)).isEqualTo(96);
        assertThat(r.outputType(102)).isEqualTo(102);
        assertThat(r.isVideo(111)).isFalse(); // opus in the same bundle goes the audio way
        assertThat(r.outputType(111)).isEqualTo(VideoRoute.DROP);
    }

    @Test
    void anotherNumberingIsFollowedAndH264KeepsItsPacketizationMode() {
        PayloadFormat vp8Elsewhere = PayloadFormat.of(120, "vp8", 90_000);
        PayloadFormat mode0Elsewhere = new PayloadFormat(121, "H264", 90_000, 1, "profile-level-id=42e01f");
        VideoRoute r = VideoRoute.between(List.of(VP8, H264_MODE1, H264_MODE0), List.of(vp8Elsewhere,
                mode0Elsewhere));
        assertThat(r.outputType(96)).isEqualTo(120);
        assertThat(r.outputType(104)).isEqualTo(121);
        // RFC 6184 §8.1: a mode 1 stream cannot go to a receiver that agreed to mode 0 only.
        assertThat(r.isVideo(102)).isTrue();
        assertThat(r.outputType(102)).isEqualTo(VideoRoute.DROP);
    }

    @Test
    void withoutVideoNothingIsVideo() {
        assertThat(VideoRoute.between(List.of(), List.of(VP8))).isSameAs(VideoRoute.NONE);
        assertThat(VideoRoute.NONE.isVideo(96)).isFalse();
        assertThat(VideoRoute.between(List.of(VP8), List.of()).outputType(96)).isEqualTo(VideoRoute.DROP);
    }

    @Test
    void packetizationModeIsReadFromFmtp() {
        assertThat(VideoRoute.packetizationMode(H264_MODE1)).isEqualTo(1);
        assertThat(VideoRoute.packetizationMode(H264_MODE0)).isZero();
        assertThat(VideoRoute.packetizationMode(new PayloadFormat(1, "H264", 90_000, 1, " packetization-mode = 2")))
                .isEqualTo(2);
    }
}
