package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.rtcp.ReceiverReport;
import dev.parley.rtp.rtcp.RtcpCompound;
import dev.parley.rtp.rtcp.RtcpStatus;
import dev.parley.rtp.rtcp.RtcpWriter;
import org.junit.jupiter.api.Test;

/** RFC 3550 Appendix A.1, A.3 and A.8 arithmetic. */
class ReceptionStatsTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsLossAcrossASequenceWrap() {
        ReceptionStats stats = new ReceptionStats(0);
        int[] sequences = {65533, 65534, 0, 1, 3, 4};
        for (int i = 0; i < sequences.length; i++) {
            stats.onPacket(42, sequences[i], 160 * i, 8000, 20 * MS * i);
        }
        assertThat(stats.expected()).isEqualTo(8);
        assertThat(stats.lost()).as("65535 and 2").isEqualTo(2);
    }

    @Test
    void jitterIsZeroForPerfectPacingAndGrowsWithVariation() {
        ReceptionStats steady = new ReceptionStats(0);
        ReceptionStats shaky = new ReceptionStats(0);
        for (int i = 0; i < 200; i++) {
            steady.onPacket(1, i, 160 * i, 8000, 20 * MS * i);
            // Every other packet 10 ms late: transit alternates by 80 timestamp units.
            shaky.onPacket(1, i, 160 * i, 8000, 20 * MS * i + (i % 2) * 10 * MS);
        }
        assertThat(steady.jitter()).isZero();
        assertThat(shaky.jitter()).isBetween(70L, 80L);
    }

    @Test
    void writesAReportBlockWithFractionLostOfTheInterval() {
        ReceptionStats stats = new ReceptionStats(0);
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 5) {
                stats.onPacket(0xABC, 100 + i, 160 * i, 8000, 20 * MS * i);
            }
        }
        stats.onSenderReport(0xABC, 0x12345678, 200 * MS);
        PacketBuffer buffer = new PacketBuffer(256);
        RtcpWriter writer = new RtcpWriter().start(buffer).receiverReport(7);
        stats.writeReportBlock(writer, 700 * MS);
        assertThat(writer.finish()).isEqualTo(RtcpStatus.OK);

        RtcpCompound compound = new RtcpCompound().reset(buffer);
        assertThat(compound.next()).isTrue();
        ReceiverReport rr = new ReceiverReport();
        assertThat(rr.wrap(compound.packet())).isEqualTo(RtcpStatus.OK);
        assertThat(rr.reportSsrc(0)).isEqualTo(0xABC);
        assertThat(rr.fractionLost(0)).as("2 of 10, in 1/256").isEqualTo(51);
        assertThat(rr.cumulativeLost(0)).isEqualTo(2);
        assertThat(rr.extendedHighestSequence(0)).isEqualTo(109);
        assertThat(rr.lastSenderReport(0)).isEqualTo(0x12345678);
        assertThat(rr.delaySinceLastSenderReport(0)).as("0.5 s in 1/65536 s").isEqualTo(32768);
    }
}
