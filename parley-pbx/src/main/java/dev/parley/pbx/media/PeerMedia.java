package dev.parley.pbx.media;

import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.offeranswer.Codec;
import java.util.List;
import java.util.Objects;

/**
 * What a peer settled on for the one audio stream Parley anchors on its leg, as the other leg needs it: the codecs
 * in the peer's numbering and order of preference (telephone-event among them when negotiated), and the direction
 * as the peer wrote it (its point of view; {@code c=0.0.0.0} already read as "do not send to me", RFC 3264 §8.4).
 *
 * @param video a browser's video stream bundled with the audio (its VP8/H.264 formats, fmtp as written), relayed
 *     only to another browser; empty for every other peer and when the browser offered or kept no video
 * @param videoDirection that video stream's direction, as the peer wrote it: a browser whose user switched video off
 *     keeps the stream receive-only (issue 7), so it differs from the audio's
 */
public record PeerMedia(List<Codec> codecs, MediaDirection direction, List<Codec> video,
        MediaDirection videoDirection) {
    public PeerMedia {
        codecs = List.copyOf(codecs);
        Objects.requireNonNull(direction, "direction");
        video = List.copyOf(video);
        Objects.requireNonNull(videoDirection, "videoDirection");
    }

    /** Video, if any, in the audio's direction. */
    public PeerMedia(List<Codec> codecs, MediaDirection direction, List<Codec> video) {
        this(codecs, direction, video, direction);
    }

    /** Audio only. */
    public PeerMedia(List<Codec> codecs, MediaDirection direction) {
        this(codecs, direction, List.of());
    }
}
