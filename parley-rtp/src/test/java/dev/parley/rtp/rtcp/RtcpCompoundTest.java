package dev.parley.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTCP compound packets (RFC 3550 §6, RFC 4585, RFC 5104) read from annotated hex fixtures, and written. */
class RtcpCompoundTest {
    static byte[] hex(String annotated) {
        return HexFormat.of().parseHex(annotated.replaceAll("//[^\\n]*", "").replaceAll("\\s+", ""));
    }

    /**
     * A compound packet from a Firefox packet dump, as published in pion/rtcp's tests (the braces around the CNAME
     * are Firefox's): RR + SDES + BYE + PLI + RFC 5104 rapid resync (RTPFB FMT 5).
     */
    static final byte[] FIREFOX = hex("""
            81 c9 00 07                  // RR, RC=1, length 7 words (32 octets)
            90 2f 9e 2e                  // reporter SSRC
            bc 5e 9a 40                  // block 1: source SSRC
            00 00 00 00                  //   fraction lost 0, cumulative lost 0
            00 00 46 e1                  //   extended highest seq 0x46e1
            00 00 01 11                  //   jitter 273
            09 f3 64 32                  //   LSR
            00 02 4a 79                  //   DLSR 150137/65536 s
            81 ca 00 0c                  // SDES, SC=1, length 12 words (52 octets)
            90 2f 9e 2e                  // chunk SSRC
            01 26                        // CNAME, 38 octets
            7b 39 63 30 30 65 62 39 32 2d 31 61 66 62 2d 39 64 34 39 2d
            61 34 37 64 2d 39 31 66 36 34 65 65 65 36 39 66 35 7d
            00 00 00 00                  // END and padding to the word boundary
            81 cb 00 01                  // BYE, SC=1
            90 2f 9e 2e
            81 ce 00 02                  // PSFB FMT 1 = PLI
            90 2f 9e 2e                  // sender SSRC
            90 2f 9e 2e                  // media SSRC
            85 cd 00 02                  // RTPFB FMT 5 = rapid resynchronisation request (RFC 6051)
            90 2f 9e 2e
            90 2f 9e 2e
            """);

    /**
     * RFC 7714 §17.1's plaintext: an SR with one report block whose fields read "deadbeef". Its length field says
     * 13 (56 octets) but the vector has 52: the RFC's example is one word short, which SRTCP does not care about.
     * Here it is read with the length field corrected to 12.
     */
    static final byte[] RFC7714_SR = hex("""
            81 c8 00 0c                  // SR, RC=1, length 12 words (52 octets); the RFC's vector says 0d
            4d 61 72 73                  // sender SSRC "Mars"
            4e 54 50 31 4e 54 50 32      // NTP timestamp "NTP1NTP2"
            52 54 50 20                  // RTP timestamp "RTP "
            00 00 04 2a                  // sender's packet count 1066
            00 00 e9 30                  // sender's octet count 59696
            4c 75 6e 61                  // block 1: source "Luna"
            de ad be ef de ad be ef de ad be ef de ad be ef de ad be ef
            """);

    /** A WebRTC-style feedback compound: RR without blocks, generic NACK with two entries, FIR, REMB. */
    static final byte[] FEEDBACK = hex("""
            80 c9 00 01  00 00 00 01                         // RR, RC=0, reporter 1
            81 cd 00 04  00 00 00 01  00 00 00 02            // RTPFB FMT 1 generic NACK, sender 1, media 2
            03 e8 00 05                                      //   PID 1000, BLP 0b101: 1001 and 1003 lost too
            ff ff 80 00                                      //   PID 65535, BLP bit 15: 16 after it lost
            84 ce 00 04  00 00 00 01  00 00 00 00            // PSFB FMT 4 FIR (RFC 5104: media SSRC 0)
            00 00 00 02  07 00 00 00                         //   SSRC 2, command seq 7
            8f ce 00 05  00 00 00 01  00 00 00 00            // PSFB FMT 15 application layer
            52 45 4d 42  01 0a 3c 8c  00 00 00 02            //   "REMB", 1 SSRC, exp/mantissa, SSRC 2
            """);

    @Test
    void firefoxCompoundReadsEveryPacket() {
        assertThat(RtcpCompound.validate(FIREFOX, 0, FIREFOX.length)).isEqualTo(RtcpStatus.OK);
        RtcpCompound compound = new RtcpCompound().reset(PacketBuffer.copyOf(FIREFOX, 0));
        ReceiverReport rr = new ReceiverReport();
        SourceDescription sdes = new SourceDescription();
        Goodbye bye = new Goodbye();
        FeedbackPacket feedback = new FeedbackPacket();
        List<Integer> types = new ArrayList<>();
        while (compound.next()) {
            RtcpPacket packet = compound.packet();
            types.add(packet.packetType());
            switch (packet.packetType()) {
                case RtcpPacket.RR -> {
                    assertThat(rr.wrap(packet)).isEqualTo(RtcpStatus.OK);
                    assertThat(rr.ssrc()).isEqualTo(0x902f9e2e);
                    assertThat(rr.reportCount()).isEqualTo(1);
                    assertThat(rr.reportSsrc(0)).isEqualTo(0xbc5e9a40);
                    assertThat(rr.fractionLost(0)).isZero();
                    assertThat(rr.cumulativeLost(0)).isZero();
                    assertThat(rr.extendedHighestSequence(0)).isEqualTo(0x46e1);
                    assertThat(rr.jitter(0)).isEqualTo(273);
                    assertThat(rr.lastSenderReport(0)).isEqualTo(0x9f36432);
                    assertThat(rr.delaySinceLastSenderReport(0)).isEqualTo(150137);
                    assertThat(rr.extensionLength()).isZero();
                }
                case RtcpPacket.SDES -> {
                    assertThat(sdes.wrap(packet)).isEqualTo(RtcpStatus.OK);
                    assertThat(sdes.nextChunk()).isTrue();
                    assertThat(sdes.chunkSsrc()).isEqualTo(0x902f9e2e);
                    assertThat(sdes.nextItem()).isTrue();
                    assertThat(sdes.itemType()).isEqualTo(SourceDescription.CNAME);
                    assertThat(sdes.itemText()).isEqualTo("{9c00eb92-1afb-9d49-a47d-91f64eee69f5}");
                    assertThat(sdes.nextItem()).isFalse();
                    assertThat(sdes.nextChunk()).isFalse();
                    assertThat(sdes.status()).isEqualTo(RtcpStatus.OK);
                }
                case RtcpPacket.BYE -> {
                    assertThat(bye.wrap(packet)).isEqualTo(RtcpStatus.OK);
                    assertThat(bye.sourceCount()).isEqualTo(1);
                    assertThat(bye.source(0)).isEqualTo(0x902f9e2e);
                    assertThat(bye.hasReason()).isFalse();
                }
                case RtcpPacket.PSFB, RtcpPacket.RTPFB -> {
                    assertThat(feedback.wrap(packet)).isEqualTo(RtcpStatus.OK);
                    assertThat(feedback.senderSsrc()).isEqualTo(0x902f9e2e);
                    assertThat(feedback.mediaSsrc()).isEqualTo(0x902f9e2e);
                    assertThat(feedback.isPli()).isEqualTo(packet.packetType() == RtcpPacket.PSFB);
                    assertThat(feedback.fmt()).isEqualTo(packet.packetType() == RtcpPacket.PSFB ? 1 : 5);
                }
                default -> throw new AssertionError("unexpected type " + packet.packetType());
            }
        }
        assertThat(compound.status()).isEqualTo(RtcpStatus.OK);
        assertThat(types).containsExactly(201, 202, 203, 206, 205);
    }

    @Test
    void rfc7714SenderReportReadsSenderInfoAndBlock() {
        RtcpPacket packet = new RtcpPacket();
        byte[] asPrinted = RFC7714_SR.clone();
        asPrinted[3] = 0x0d;
        assertThat(packet.wrap(asPrinted, 0, asPrinted.length)).isEqualTo(RtcpStatus.BAD_LENGTH);
        assertThat(packet.wrap(RFC7714_SR, 0, RFC7714_SR.length)).isEqualTo(RtcpStatus.OK);
        SenderReport sr = new SenderReport();
        assertThat(sr.wrap(packet)).isEqualTo(RtcpStatus.OK);
        assertThat(sr.ssrc()).isEqualTo(0x4d617273);
        assertThat(sr.ntpTimestamp()).isEqualTo(0x4e5450314e545032L);
        assertThat(sr.compactNtp()).isEqualTo(0x50314e54);
        assertThat(sr.rtpTimestamp()).isEqualTo(0x52545020);
        assertThat(sr.packetCount()).isEqualTo(1066);
        assertThat(sr.octetCount()).isEqualTo(59696);
        assertThat(sr.reportSsrc(0)).isEqualTo(0x4c756e61);
        assertThat(sr.fractionLost(0)).isEqualTo(0xde);
        assertThat(sr.cumulativeLost(0)).isEqualTo(0xadbeef - 0x1000000); // signed 24 bits
        assertThat(new ReceiverReport().wrap(packet)).isEqualTo(RtcpStatus.WRONG_TYPE);
    }

    @Test
    void feedbackCompoundReadsNackFirAndRemb() {
        RtcpCompound compound = new RtcpCompound().reset(FEEDBACK, 0, FEEDBACK.length);
        FeedbackPacket fb = new FeedbackPacket();
        assertThat(compound.next()).isTrue();
        assertThat(compound.next()).isTrue();
        assertThat(fb.wrap(compound.packet())).isEqualTo(RtcpStatus.OK);
        assertThat(fb.isGenericNack()).isTrue();
        assertThat(fb.nackCount()).isEqualTo(2);
        assertThat(fb.nackPid(0)).isEqualTo(1000);
        assertThat(fb.nackBlp(0)).isEqualTo(5);
        assertThat(fb.nackPid(1)).isEqualTo(65535);
        assertThat(fb.nackBlp(1)).isEqualTo(0x8000);
        assertThat(compound.next()).isTrue();
        assertThat(fb.wrap(compound.packet())).isEqualTo(RtcpStatus.OK);
        assertThat(fb.isFir()).isTrue();
        assertThat(fb.firCount()).isEqualTo(1);
        assertThat(fb.firSsrc(0)).isEqualTo(2);
        assertThat(fb.firSequence(0)).isEqualTo(7);
        assertThat(compound.next()).isTrue();
        assertThat(fb.wrap(compound.packet())).isEqualTo(RtcpStatus.OK);
        assertThat(fb.isRemb()).isTrue();
        assertThat(fb.fciLength()).isEqualTo(12);
        assertThat(compound.next()).isFalse();
        assertThat(compound.status()).isEqualTo(RtcpStatus.OK);
    }

    @Test
    void malformedCompoundsStopWithAStatusAndKeepWhatWasSound() {
        byte[] cut = java.util.Arrays.copyOf(FIREFOX, 40); // RR whole, SDES cut
        RtcpCompound compound = new RtcpCompound().reset(cut, 0, cut.length);
        assertThat(compound.next()).isTrue();
        assertThat(compound.next()).isFalse();
        assertThat(compound.status()).isEqualTo(RtcpStatus.BAD_LENGTH);
        assertThat(RtcpCompound.validate(cut, 0, cut.length)).isEqualTo(RtcpStatus.BAD_LENGTH);

        byte[] version1 = FIREFOX.clone();
        version1[0] = 0x41;
        assertThat(RtcpCompound.validate(version1, 0, version1.length)).isEqualTo(RtcpStatus.BAD_VERSION);

        byte[] paddedFirst = FIREFOX.clone();
        paddedFirst[0] |= 0x20; // P on the first packet: RFC 3550 §6.4.1 allows it on the last only
        paddedFirst[31] = 4;
        assertThat(RtcpCompound.validate(paddedFirst, 0, paddedFirst.length)).isEqualTo(RtcpStatus.BAD_PADDING);

        byte[] tooManyBlocks = hex("85 c9 00 01 00 00 00 01"); // RC=5 in an 8-octet RR
        RtcpPacket packet = new RtcpPacket();
        assertThat(packet.wrap(tooManyBlocks, 0, 8)).isEqualTo(RtcpStatus.OK);
        assertThat(new ReceiverReport().wrap(packet)).isEqualTo(RtcpStatus.BAD_COUNT);

        byte[] pliFirst = hex("81 ce 00 02 00 00 00 01 00 00 00 02");
        assertThat(RtcpCompound.validate(pliFirst, 0, pliFirst.length)).isEqualTo(RtcpStatus.WRONG_TYPE);
        assertThat(RtcpCompound.validateReducedSize(pliFirst, 0, pliFirst.length)).isEqualTo(RtcpStatus.OK);
    }

    @Test
    void writerProducesReportsThatReadBack() {
        PacketBuffer buffer = new PacketBuffer(1500);
        byte[] cname = "parley@example.net".getBytes(StandardCharsets.US_ASCII);
        RtcpStatus status = new RtcpWriter().start(buffer)
                .senderReport(0x11111111, 0xE1234567_89ABCDEFL, 160000, 1000, 160000)
                .reportBlock(0x22222222, 25, -3, 0x0001_0005, 42, 0x45678901, 65536)
                .reportBlock(0x33333333, 0, 12, 7, 0, 0, 0)
                .sdesCname(0x11111111, cname)
                .pli(0x11111111, 0x22222222)
                .nack(0x11111111, 0x22222222, 500, 3)
                .finish();
        assertThat(status).isEqualTo(RtcpStatus.OK);
        assertThat(buffer.length()).isEqualTo(28 + 48 + 32 + 12 + 16);
        assertThat(RtcpCompound.validate(buffer.array(), 0, buffer.length())).isEqualTo(RtcpStatus.OK);

        RtcpCompound compound = new RtcpCompound().reset(buffer);
        SenderReport sr = new SenderReport();
        assertThat(compound.next()).isTrue();
        assertThat(sr.wrap(compound.packet())).isEqualTo(RtcpStatus.OK);
        assertThat(sr.ntpTimestamp()).isEqualTo(0xE1234567_89ABCDEFL);
        assertThat(sr.packetCount()).isEqualTo(1000);
        assertThat(sr.reportCount()).isEqualTo(2);
        assertThat(sr.fractionLost(0)).isEqualTo(25);
        assertThat(sr.cumulativeLost(0)).isEqualTo(-3);
        assertThat(sr.extendedHighestSequence(0)).isEqualTo(0x0001_0005);
        assertThat(sr.delaySinceLastSenderReport(0)).isEqualTo(65536);
        assertThat(sr.reportSsrc(1)).isEqualTo(0x33333333);
        SourceDescription sdes = new SourceDescription();
        assertThat(compound.next()).isTrue();
        assertThat(sdes.wrap(compound.packet())).isEqualTo(RtcpStatus.OK);
        assertThat(sdes.nextChunk() && sdes.nextItem()).isTrue();
        assertThat(sdes.itemText()).isEqualTo("parley@example.net");
        FeedbackPacket fb = new FeedbackPacket();
        assertThat(compound.next() && fb.wrap(compound.packet()) == RtcpStatus.OK && fb.isPli()).isTrue();
        assertThat(compound.next() && fb.wrap(compound.packet()) == RtcpStatus.OK && fb.isGenericNack()).isTrue();
        assertThat(fb.nackPid(0)).isEqualTo(500);
        assertThat(compound.next()).isFalse();
    }

    @Test
    void writerReportsNoSpaceInsteadOfOverrunning() {
        byte[] array = new byte[40];
        PacketBuffer buffer = new PacketBuffer(array, 0, 0);
        RtcpStatus status = new RtcpWriter().start(buffer).receiverReport(1)
                .reportBlock(2, 0, 0, 0, 0, 0, 0)
                .reportBlock(3, 0, 0, 0, 0, 0, 0) // 8 + 48 > 40
                .finish();
        assertThat(status).isEqualTo(RtcpStatus.NO_SPACE);
        assertThat(buffer.length()).isZero();

        PacketBuffer roomy = new PacketBuffer(2000);
        RtcpWriter writer = new RtcpWriter().start(roomy).receiverReport(1);
        for (int i = 0; i < 32; i++) {
            writer.reportBlock(i, 0, 0, 0, 0, 0, 0);
        }
        assertThat(writer.finish()).isEqualTo(RtcpStatus.NO_SPACE); // RC is 5 bits
    }
}
