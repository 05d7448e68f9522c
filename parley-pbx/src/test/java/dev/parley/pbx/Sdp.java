package dev.parley.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.MediaDescription;
import dev.parley.sdp.SdpParser;
import dev.parley.sdp.SessionDescription;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sip.message.SipMessage;

/** SDP bodies for tests, and reading what Parley wrote instead. */
final class Sdp {
    private Sdp() {
    }

    static String of(String user, int port) {
        return "v=0\r\n"
                + "o=" + user + " 1 1 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=sendrecv\r\n";
    }

    /** {@link #of} with another direction attribute (hold: sendonly, inactive). */
    static String of(String user, int port, MediaDirection direction) {
        return of(user, port).replace("a=sendrecv", "a=" + direction.attributeName());
    }

    static SessionDescription parse(SipMessage m) {
        assertThat(m.body().isEmpty()).as("%s has a body", m).isFalse();
        return SdpParser.parse(m.body().toByteArray()).orElseThrow();
    }

    /**
     * Asserts that {@code m} carries Parley's SDP for the endpoint on {@code port}: Parley's origin, 127.0.0.1, one
     * audio stream on that port with the given payload types and direction, no key (these legs are UDP).
     */
    static MediaDescription assertAnchored(SipMessage m, int port, MediaDirection direction, Integer... payloadTypes) {
        SessionDescription sd = parse(m);
        assertThat(sd.origin().username()).isEqualTo("parley");
        MediaDescription audio = sd.media().stream().filter(x -> !x.isRejected()).findFirst().orElseThrow();
        assertThat(sd.connectionOf(audio).orElseThrow().host()).isEqualTo("127.0.0.1");
        assertThat(audio.port()).isEqualTo(port);
        assertThat(audio.proto()).isEqualTo("RTP/AVP");
        assertThat(audio.payloadTypes()).containsExactly(payloadTypes);
        assertThat(sd.directionOf(audio)).isEqualTo(direction);
        assertThat(audio.cryptos()).as("no SDES key over UDP").isEmpty();
        return audio;
    }
}
