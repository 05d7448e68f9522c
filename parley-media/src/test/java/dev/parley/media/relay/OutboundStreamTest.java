package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.RtpStatus;
import org.junit.jupiter.api.Test;

class OutboundStreamTest {
    private static final long MS = 1_000_000L;

    private final OutboundStream stream = new OutboundStream(0x5EED, 65530, 0xFFFFFF00);

    private static RtpPacket packet(int ssrc, int sequence, int timestamp) {
        byte[] b = new byte[12 + 160];
        RtpPacket.writeHeader(b, 0, false, 0, sequence, timestamp, ssrc);
        RtpPacket rtp = new RtpPacket();
        assertThat(rtp.wrap(b, 0, b.length)).isEqualTo(RtpStatus.OK);
        return rtp;
    }

    private RtpPacket send(int ssrc, int sequence, int timestamp, long nanos) {
        RtpPacket rtp = packet(ssrc, sequence, timestamp);
        stream.rewrite(rtp, 8, 8000, nanos);
        stream.sent(160);
        return rtp;
    }

    @Test
    void startsAtItsOwnRandomPointAndWrapsAsRtpDoes() {
        RtpPacket first = send(1, 100, 5000, 0);
        assertThat(first.ssrc()).isEqualTo(0x5EED);
        assertThat(first.payloadType()).isEqualTo(8);
        assertThat(first.sequenceNumber()).isEqualTo(65530);
        assertThat(first.timestamp()).isEqualTo(0xFFFFFF00);
        assertThat(first.marker()).isTrue();
        RtpPacket later = send(1, 110, 5000 + 160 * 10, 200 * MS);
        assertThat(later.sequenceNumber()).isEqualTo(4);
        assertThat(later.timestamp()).isEqualTo(0xFFFFFF00 + 1600);
        assertThat(later.marker()).isFalse();
        assertThat(stream.packets()).isEqualTo(2);
        assertThat(stream.octets()).isEqualTo(320);
    }

    @Test
    void continuesSequenceAndTimestampAcrossANewInputSsrc() {
        send(1, 100, 5000, 0);
        RtpPacket last = send(1, 101, 5160, 20 * MS);
        RtpPacket switched = send(2, 7, 999_999, 520 * MS);
        assertThat(switched.ssrc()).isEqualTo(0x5EED);
        assertThat(switched.sequenceNumber()).isEqualTo((last.sequenceNumber() + 1) & 0xFFFF);
        assertThat(switched.timestamp() - last.timestamp()).as("500 ms at 8 kHz").isEqualTo(4000);
        assertThat(switched.marker()).isTrue();
        RtpPacket next = send(2, 8, 999_999 + 160, 540 * MS);
        assertThat(next.sequenceNumber()).isEqualTo((switched.sequenceNumber() + 1) & 0xFFFF);
        assertThat(next.timestamp() - switched.timestamp()).isEqualTo(160);
    }

    @Test
    void aLatePacketDoesNotMoveTheContinuationPoint() {
        send(1, 100, 5000, 0);
        RtpPacket newest = send(1, 102, 5320, 40 * MS);
        send(1, 101, 5160, 41 * MS);
        RtpPacket switched = send(2, 1, 1, 60 * MS);
        assertThat(switched.sequenceNumber()).isEqualTo((newest.sequenceNumber() + 1) & 0xFFFF);
        assertThat(switched.timestamp() - newest.timestamp()).isEqualTo(160);
    }

    @Test
    void reportsTheTimestampOfNowForSenderReports() {
        RtpPacket first = send(1, 100, 5000, 0);
        assertThat(stream.timestampAt(1000 * MS) - first.timestamp()).isEqualTo(8000);
    }
}
