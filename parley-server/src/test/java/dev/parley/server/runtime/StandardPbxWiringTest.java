package dev.parley.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.media.MediaSettings;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code media.*} settings as the media plane gets them. */
class StandardPbxWiringTest {
    @TempDir
    Path dir;

    private MediaSettings media(Map<String, String> env) {
        ParleyConfig config = new ConfigLoader(env, dir).load(null, List.of());
        return StandardPbxWiring.mediaSettings(config);
    }

    @Test
    void byDefaultBrowsersShareTheFirstPortOfTheRangeAndCallsGetTheRest() {
        MediaSettings m = media(Map.of("PARLEY_SIP_BIND_ADDRESS", "127.0.0.1"));
        assertThat(m.webRtcPort()).isEqualTo(20000);
        assertThat(m.portMin()).isEqualTo(20002);
        assertThat(m.portMax()).isEqualTo(29999);
        assertThat(m.maxEndpoints()).isEqualTo(4999);
        assertThat(m.consentTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPortOutsideTheRangeLeavesTheWholeRangeAndMinusOneTurnsSharingOff() {
        MediaSettings fixed = media(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "3479",
                "PARLEY_MEDIA_WEBRTC_CONSENT_TIMEOUT", "15s"));
        assertThat(fixed.webRtcPort()).isEqualTo(3479);
        assertThat(fixed.portMin()).isEqualTo(20000);
        assertThat(fixed.maxEndpoints()).isEqualTo(5000);
        assertThat(fixed.consentTimeout()).isEqualTo(Duration.ofSeconds(15));

        MediaSettings off = media(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "-1"));
        assertThat(off.webRtcPort()).as("0: each browser leg takes ports of the range").isZero();
        assertThat(off.portMin()).isEqualTo(20000);
    }
}
