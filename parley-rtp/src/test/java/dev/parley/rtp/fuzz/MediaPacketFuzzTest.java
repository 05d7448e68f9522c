package dev.parley.rtp.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.RtpStatus;
import dev.parley.rtp.event.TelephoneEventDetector;
import dev.parley.rtp.rtcp.AppPacket;
import dev.parley.rtp.rtcp.FeedbackPacket;
import dev.parley.rtp.rtcp.Goodbye;
import dev.parley.rtp.rtcp.ReceiverReport;
import dev.parley.rtp.rtcp.RtcpCompound;
import dev.parley.rtp.rtcp.RtcpPacket;
import dev.parley.rtp.rtcp.RtcpStatus;
import dev.parley.rtp.rtcp.SenderReport;
import dev.parley.rtp.rtcp.SourceDescription;
import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpStatus;

/**
 * Any bytes from the network: the RTP and RTCP views and SRTP/SRTCP unprotection return statuses and never throw,
 * and whatever they accept can be read completely. An exception is a finding.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/parley/rtp/fuzz/MediaPacketFuzzTestInputs/<method>/}, each
 * file one datagram as raw bytes (for {@code unprotect}, a first octet picks RTP or RTCP and the profile: {@code n % 6}, 0-2 RTP, 3-5 RTCP).
 */
class MediaPacketFuzzTest {
    private static final byte[] KEY = new byte[16];
    private static final byte[] SALT = new byte[14];

    @FuzzTest
    void rtpView(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        RtpPacket packet = new RtpPacket();
        if (packet.wrap(bytes, 0, bytes.length) == RtpStatus.OK) {
            int sum = packet.version() + packet.payloadType() + packet.sequenceNumber() + packet.timestamp()
                    + packet.ssrc() + packet.payloadLength() + packet.extensionProfile();
            for (int i = 0; i < packet.csrcCount(); i++) {
                sum += packet.csrc(i);
            }
            packet.forEachExtension((id, a, off, len) -> {
                if (off < 0 || off + len > bytes.length) {
                    throw new AssertionError("extension element outside the packet");
                }
            });
            sum += packet.extensionElementLength(1);
            if (packet.payloadOffset() + packet.payloadLength() > bytes.length || packet.payloadLength() < 0) {
                throw new AssertionError("payload outside the packet: " + packet + sum);
            }
            new TelephoneEventDetector().offer(packet);
        }
        packet.wrapHeader(bytes, 0, bytes.length);
        RtpPacket.isRtcp(bytes, 0, bytes.length);
    }

    @FuzzTest
    void rtcpCompound(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        RtcpCompound compound = new RtcpCompound().reset(bytes, 0, bytes.length);
        SenderReport sr = new SenderReport();
        ReceiverReport rr = new ReceiverReport();
        SourceDescription sdes = new SourceDescription();
        Goodbye bye = new Goodbye();
        AppPacket app = new AppPacket();
        FeedbackPacket fb = new FeedbackPacket();
        long sum = 0;
        while (compound.next()) {
            RtcpPacket packet = compound.packet();
            if (sr.wrap(packet) == RtcpStatus.OK) {
                sum += sr.ntpTimestamp() + sr.packetCount() + sr.extensionLength();
                for (int i = 0; i < sr.reportCount(); i++) {
                    sum += sr.reportSsrc(i) + sr.cumulativeLost(i) + sr.delaySinceLastSenderReport(i);
                }
            }
            if (rr.wrap(packet) == RtcpStatus.OK) {
                for (int i = 0; i < rr.reportCount(); i++) {
                    sum += rr.jitter(i) + rr.lastSenderReport(i);
                }
            }
            if (sdes.wrap(packet) == RtcpStatus.OK) {
                while (sdes.nextChunk()) {
                    while (sdes.nextItem()) {
                        sum += sdes.itemText().length();
                    }
                }
            }
            if (bye.wrap(packet) == RtcpStatus.OK) {
                for (int i = 0; i < bye.sourceCount(); i++) {
                    sum += bye.source(i);
                }
                sum += bye.reason().length();
            }
            if (app.wrap(packet) == RtcpStatus.OK) {
                sum += app.name() + app.dataLength();
            }
            if (fb.wrap(packet) == RtcpStatus.OK) {
                for (int i = 0; i < fb.nackCount(); i++) {
                    sum += fb.nackPid(i) + fb.nackBlp(i);
                }
                for (int i = 0; i < fb.firCount(); i++) {
                    sum += fb.firSsrc(i) + fb.firSequence(i);
                }
                sum += fb.isRemb() ? 1 : 0;
            }
        }
        RtcpCompound.validate(bytes, 0, bytes.length);
        if (sum == Long.MIN_VALUE) {
            throw new AssertionError("unreachable, keeps the reads alive");
        }
    }

    @FuzzTest
    void unprotect(FuzzedDataProvider data) {
        byte[] input = data.consumeRemainingAsBytes();
        if (input.length == 0) {
            return;
        }
        int selector = (input[0] & 0xFF) % 6; // 0-2: RTP with profile n, 3-5: RTCP with profile n - 3
        byte[] bytes = java.util.Arrays.copyOfRange(input, 1, input.length);
        SrtpProfile profile = SrtpProfile.values()[selector % 3];
        SrtpReceiver receiver = new SrtpReceiver(profile, KEY, profile == SrtpProfile.AEAD_AES_128_GCM
                ? new byte[12] : SALT);
        PacketBuffer buffer = new PacketBuffer(bytes, 0, bytes.length);
        SrtpStatus status = selector < 3 ? receiver.unprotectRtp(buffer) : receiver.unprotectRtcp(buffer);
        if (status == SrtpStatus.OK ? buffer.length() > bytes.length : buffer.length() != bytes.length) {
            throw new AssertionError(status + " left length " + buffer.length() + " of " + bytes.length);
        }
        if (status != SrtpStatus.OK && (receiver.rtpSsrcCount() != 0 || receiver.rtcpSsrcCount() != 0)) {
            throw new AssertionError("a packet that did not authenticate created SSRC state: " + status);
        }
    }
}
