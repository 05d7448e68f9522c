package dev.parley.rtp.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.RtpStatus;
import dev.parley.rtp.event.TelephoneEventDetector.Result;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * RFC 4733: the §2.3 payload layout, and the §2.5 sending pattern (one timestamp per event, growing duration,
 * the end packet sent three times) through the detector.
 */
class Rfc4733Test {
    private final TelephoneEventDetector detector = new TelephoneEventDetector();
    private final byte[] payload = new byte[4];

    private Result offer(int timestamp, int event, boolean end, int duration) {
        TelephoneEvent.write(payload, 0, event, end, 10, duration);
        return detector.offer(timestamp, payload, 0, 4);
    }

    @Test
    void section2_3_payloadLayout() {
        // DTMF "9", E set, R 0, volume 10 (-10 dBm0), duration 1600 (200 ms at 8 kHz)
        byte[] expected = HexFormat.of().parseHex("098a0640");
        byte[] written = new byte[4];
        assertThat(TelephoneEvent.write(written, 0, 9, true, 10, 1600)).isEqualTo(4);
        assertThat(written).isEqualTo(expected);
        assertThat(TelephoneEvent.event(expected, 0)).isEqualTo(9);
        assertThat(TelephoneEvent.end(expected, 0)).isTrue();
        assertThat(TelephoneEvent.volume(expected, 0)).isEqualTo(10);
        assertThat(TelephoneEvent.duration(expected, 0)).isEqualTo(1600);
        assertThat(TelephoneEvent.dtmfCharacter(TelephoneEvent.POUND)).isEqualTo('#');
    }

    @Test
    void section2_5_oneDigitWithThreeEndPacketsIsReportedEndedOnce() {
        int ts = 48000;
        assertThat(offer(ts, 9, false, 400)).isEqualTo(Result.STARTED);
        assertThat(offer(ts, 9, false, 800)).isEqualTo(Result.CONTINUING);
        assertThat(offer(ts, 9, false, 1200)).isEqualTo(Result.CONTINUING);
        assertThat(offer(ts, 9, true, 1600)).isEqualTo(Result.ENDED);
        assertThat(detector.event()).isEqualTo(9);
        assertThat(detector.duration()).isEqualTo(1600);
        assertThat(detector.timestamp()).isEqualTo(ts);
        assertThat(detector.endSeen()).isTrue();
        assertThat(offer(ts, 9, true, 1600)).isEqualTo(Result.ALREADY_ENDED);
        assertThat(offer(ts, 9, true, 1600)).isEqualTo(Result.ALREADY_ENDED);

        // the same digit pressed again is a new event: new timestamp
        assertThat(offer(ts + 2400, 9, false, 160)).isEqualTo(Result.STARTED);
        assertThat(offer(ts + 2400, 9, true, 960)).isEqualTo(Result.ENDED);
        assertThat(detector.timestamp()).isEqualTo(ts + 2400);
    }

    @Test
    void firstPacketsLostTheEndStillReportsOnce() {
        assertThat(offer(100, 1, true, 800)).isEqualTo(Result.ENDED);
        assertThat(offer(100, 1, true, 800)).isEqualTo(Result.ALREADY_ENDED);
        assertThat(offer(100, 1, false, 400)).isEqualTo(Result.ALREADY_ENDED); // late, reordered
    }

    @Test
    void allEndPacketsLostTheNextEventClosesIt() {
        assertThat(offer(1000, 4, false, 400)).isEqualTo(Result.STARTED);
        assertThat(offer(1000, 4, false, 800)).isEqualTo(Result.CONTINUING);
        assertThat(offer(5000, 5, false, 400)).isEqualTo(Result.ENDED);
        assertThat(detector.event()).isEqualTo(4);
        assertThat(detector.duration()).isEqualTo(800);
        assertThat(detector.endSeen()).isFalse();
        assertThat(offer(5000, 5, true, 800)).isEqualTo(Result.ENDED);
        assertThat(detector.event()).isEqualTo(5);
    }

    @Test
    void shortPayloadIsMalformedAndAFullRtpPacketWorksThroughTheView() {
        assertThat(detector.offer(1, new byte[3], 0, 3)).isEqualTo(Result.MALFORMED);
        byte[] rtp = new byte[16];
        RtpPacket.writeHeader(rtp, 0, true, 101, 7, 320, 0x1234);
        TelephoneEvent.write(rtp, 12, TelephoneEvent.STAR, true, 0, 320);
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(rtp, 0, rtp.length)).isEqualTo(RtpStatus.OK);
        assertThat(detector.offer(view)).isEqualTo(Result.ENDED);
        assertThat(TelephoneEvent.dtmfCharacter(detector.event())).isEqualTo('*');
    }
}
