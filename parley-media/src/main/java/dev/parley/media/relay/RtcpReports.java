package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.rtcp.RtcpCompound;
import dev.parley.rtp.rtcp.RtcpPacket;
import dev.parley.rtp.rtcp.RtcpStatus;
import dev.parley.rtp.rtcp.RtcpWriter;
import dev.parley.rtp.rtcp.SenderReport;
import java.time.Instant;

/**
 * The RTCP Parley writes and reads. Parley terminates RTCP per leg (it is the RTP endpoint each peer talks to, not a
 * translator): each leg gets reports about what Parley sends and receives on that leg, and incoming reports are
 * read for statistics and never forwarded.
 */
final class RtcpReports {
    /** Seconds from the NTP era (1900) to the Unix epoch (1970). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private RtcpReports() {
    }

    /**
     * Writes a compound report (RFC 3550 §6.1: it starts with SR or RR and carries an SDES with CNAME): an SR when
     * Parley has sent RTP on this leg, else an RR, with a report block when it has received RTP.
     */
    static RtcpStatus write(Workspace w, OutboundStream sent, ReceptionStats received, byte[] cname, long nowNanos) {
        RtcpWriter writer = w.writer.start(w.buffer.set(w.array, 0, 0));
        if (sent.packets() > 0) {
            writer.senderReport(sent.ssrc(), ntpNow(), sent.timestampAt(nowNanos), sent.packets(), sent.octets());
        } else {
            writer.receiverReport(sent.ssrc());
        }
        if (received.active()) {
            received.writeReportBlock(writer, nowNanos);
        }
        return writer.sdesCname(sent.ssrc(), cname).finish();
    }

    /**
     * Reads an (unprotected) compound packet for statistics: sender reports feed LSR/DLSR. Returns false when the
     * compound is malformed.
     *
     * <p>Not forwarded, on purpose for audio: each leg's RTCP describes that leg. When video arrives, RFC 4585
     * feedback (RTPFB 205: generic NACK; PSFB 206: PLI, FIR) must be forwarded to the other leg's sender with the
     * media SSRC rewritten to what that leg sends, or a receiver that lost a key frame waits for the next one.
     */
    static boolean read(Workspace w, PacketBuffer packet, ReceptionStats received, long nowNanos) {
        RtcpCompound compound = w.compound.reset(packet);
        while (compound.next()) {
            RtcpPacket p = compound.packet();
            if (p.packetType() == RtcpPacket.SR && w.senderReport.wrap(p) == RtcpStatus.OK) {
                received.onSenderReport(w.senderReport.ssrc(), w.senderReport.compactNtp(), nowNanos);
            }
        }
        return compound.status() == RtcpStatus.OK;
    }

    static long ntpNow() {
        Instant now = Instant.now();
        long seconds = now.getEpochSecond() + NTP_UNIX_OFFSET;
        long fraction = ((long) now.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | fraction;
    }
}
