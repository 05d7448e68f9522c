package dev.parley.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The SDP bodies under {@code src/test/resources/dev/parley/sdp/peers/} (see the README there). */
public final class Fixtures {
    private Fixtures() {
    }

    public static final List<String> PEERS = List.of(
            "baresip-1.0-srtp-mand.sdp",
            "baresip-1.0-srtp-best-effort.sdp",
            "baresip-1.0-dtls-srtp.sdp",
            "sipp-3.6-uac.sdp",
            "asterisk-pjsip-sdes.sdp",
            "linphone-5-srtp.sdp",
            "firefox-128-audio-video.sdp",
            "chromium-156-audio-video-data.sdp",
            "chromium-156-audio.sdp");

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/dev/parley/sdp/peers/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    public static SessionDescription parsed(String name) {
        return SdpParser.parse(bytes(name)).orElseThrow();
    }
}
