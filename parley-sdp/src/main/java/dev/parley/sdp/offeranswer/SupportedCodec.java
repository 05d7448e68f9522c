package dev.parley.sdp.offeranswer;

import dev.parley.common.Ascii;
import java.util.Objects;

/**
 * A codec the local side can take, for one media type: e.g. {@code audio PCMA/8000}, {@code audio opus/48000/2},
 * {@code audio telephone-event/8000}. Matching ignores payload type numbers and fmtp.
 */
public record SupportedCodec(String media, String encodingName, int clockRate, int channels) {
    public SupportedCodec {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(encodingName, "encodingName");
        if (clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("clock rate and channels must be positive");
        }
    }

    public static SupportedCodec audio(String encodingName, int clockRate) {
        return new SupportedCodec("audio", encodingName, clockRate, 1);
    }

    public boolean matches(String offeredMedia, Codec codec) {
        return media.equals(offeredMedia) && clockRate == codec.clockRate() && channels == codec.channels()
                && Ascii.equalsIgnoreCase(encodingName, codec.encodingName());
    }
}
