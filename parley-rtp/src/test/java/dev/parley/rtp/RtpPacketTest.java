package dev.parley.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RTP view: RFC 3550 §5.1 fields, §5.3.1 extensions in RFC 8285 form, Appendix A.1 validity, setters. */
class RtpPacketTest {
    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+|//[^\\n]*", ""));
    }

    // V=2 P=0 X=1 CC=1, M=1 PT=111 (Opus), seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, one CSRC,
    // one-byte extension (0xBEDE, 2 words): id 1 len 1 (audio level 0x80|0x25), id 3 len 3 (abs-send-time), pad
    private static final byte[] OPUS = hex("""
            91 ef 12 34   de ad be ef   01 02 03 04   // fixed header
            0a 0b 0c 0d                               // CSRC
            be de 00 02                               // RFC 8285 one-byte extension, 2 words
            10 a5   32 aa bb cc   00 00               // id 1 (1 octet), id 3 (3 octets), padding
            fc ff fe                                  // payload
            """);

    @Test
    void readsEveryHeaderField() {
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(PacketBuffer.copyOf(OPUS, 0))).isEqualTo(RtpStatus.OK);
        assertThat(packet.version()).isEqualTo(2);
        assertThat(packet.padding()).isFalse();
        assertThat(packet.extension()).isTrue();
        assertThat(packet.csrcCount()).isEqualTo(1);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(111);
        assertThat(packet.sequenceNumber()).isEqualTo(0x1234);
        assertThat(packet.timestamp()).isEqualTo(0xDEADBEEF);
        assertThat(packet.ssrc()).isEqualTo(0x01020304);
        assertThat(packet.csrc(0)).isEqualTo(0x0a0b0c0d);
        assertThat(packet.headerLength()).isEqualTo(28);
        assertThat(packet.payloadOffset()).isEqualTo(28);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(packet.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(packet.extensionDataLength()).isEqualTo(8);
    }

    @Test
    void readsOneByteHeaderExtensionsOfRfc8285() {
        RtpPacket packet = new RtpPacket();
        packet.wrap(OPUS, 0, OPUS.length);
        List<String> seen = new ArrayList<>();
        assertThat(packet.forEachExtension((id, a, off, len) ->
                seen.add(id + ":" + HexFormat.of().formatHex(a, off, off + len)))).isTrue();
        assertThat(seen).containsExactly("1:a5", "3:aabbcc");
        assertThat(packet.extensionElementOffset(3)).isEqualTo(23);
        assertThat(packet.extensionElementLength(3)).isEqualTo(3);
        assertThat(packet.extensionElementOffset(2)).isEqualTo(-1);
    }

    @Test
    void readsTwoByteHeaderExtensionsOfRfc8285() {
        byte[] bytes = hex("""
                90 60 00 01   00 00 00 01   00 00 00 02
                10 00 00 02                               // two-byte form, appbits 0, 2 words
                07 00   00   0f 03 01 02 03               // id 7 empty, padding octet, id 15 with 3 octets
                99
                """);
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(bytes, 0, bytes.length)).isEqualTo(RtpStatus.OK);
        List<String> seen = new ArrayList<>();
        assertThat(packet.forEachExtension((id, a, off, len) -> seen.add(id + "/" + len))).isTrue();
        assertThat(seen).containsExactly("7/0", "15/3");
        assertThat(packet.extensionElementLength(15)).isEqualTo(3);
        assertThat(packet.payloadLength()).isEqualTo(1);
    }

    @Test
    void anElementRunningPastTheExtensionIsReportedNotThrown() {
        byte[] bytes = hex("90 60 00 01 00 00 00 01 00 00 00 02  be de 00 01  13 aa bb cc  99");
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(bytes, 0, bytes.length)).isEqualTo(RtpStatus.OK);
        assertThat(packet.forEachExtension((id, a, off, len) -> { })).isFalse(); // id 1 claims 4 octets, 3 left
        assertThat(packet.extensionElementOffset(1)).isEqualTo(-1);
    }

    @Test
    void validationFollowsRfc3550AppendixA1() {
        RtpPacket packet = new RtpPacket();
        assertThat(packet.wrap(OPUS, 0, 11)).isEqualTo(RtpStatus.TOO_SHORT);
        byte[] v1 = OPUS.clone();
        v1[0] = (byte) 0x51;
        assertThat(packet.wrap(v1, 0, v1.length)).isEqualTo(RtpStatus.BAD_VERSION);
        assertThat(packet.wrap(OPUS, 0, 14)).isEqualTo(RtpStatus.CSRC_OVERRUN);
        assertThat(packet.wrap(OPUS, 0, 18)).isEqualTo(RtpStatus.EXTENSION_OVERRUN);
        assertThat(packet.wrap(OPUS, 0, 27)).isEqualTo(RtpStatus.EXTENSION_OVERRUN);
        assertThat(packet.wrap(OPUS, 0, 28)).isEqualTo(RtpStatus.OK);

        byte[] padded = hex("a0 00 00 01 00 00 00 01 00 00 00 02  11 22 00 00 03");
        assertThat(packet.wrap(padded, 0, padded.length)).isEqualTo(RtpStatus.OK);
        assertThat(packet.paddingLength()).isEqualTo(3);
        assertThat(packet.payloadLength()).isEqualTo(2);
        padded[padded.length - 1] = 6; // more padding than octets after the header
        assertThat(packet.wrap(padded, 0, padded.length)).isEqualTo(RtpStatus.BAD_PADDING);
        padded[padded.length - 1] = 0;
        assertThat(packet.wrap(padded, 0, padded.length)).isEqualTo(RtpStatus.BAD_PADDING);
        // SRTP packets: padding is encrypted, so wrapHeader ignores it
        assertThat(packet.wrapHeader(padded, 0, padded.length)).isEqualTo(RtpStatus.OK);
    }

    @Test
    void settersRewriteTheHeaderInPlaceForTheRelay() {
        byte[] bytes = OPUS.clone();
        RtpPacket packet = new RtpPacket();
        packet.wrap(bytes, 0, bytes.length);
        packet.payloadType(96).sequenceNumber(0x1FFFF).timestamp(7).ssrc(0xCAFEBABE).marker(false);
        RtpPacket again = new RtpPacket();
        assertThat(again.wrap(bytes, 0, bytes.length)).isEqualTo(RtpStatus.OK);
        assertThat(again.payloadType()).isEqualTo(96);
        assertThat(again.sequenceNumber()).isEqualTo(0xFFFF);
        assertThat(again.timestamp()).isEqualTo(7);
        assertThat(again.ssrc()).isEqualTo(0xCAFEBABE);
        assertThat(again.marker()).isFalse();
        assertThat(again.csrc(0)).isEqualTo(0x0a0b0c0d);
        assertThat(again.extensionElementLength(3)).isEqualTo(3);
        packet.marker(true);
        assertThat(again.marker()).isTrue();
        assertThat(again.payloadType()).isEqualTo(96);
    }

    @Test
    void rfc5761DemuxSendsPayloadTypes192To223ToRtcp() {
        assertThat(RtpPacket.isRtcp(hex("80 c8"), 0, 2)).isTrue();  // SR
        assertThat(RtpPacket.isRtcp(hex("81 cd"), 0, 2)).isTrue();  // RTPFB
        assertThat(RtpPacket.isRtcp(hex("80 df"), 0, 2)).isTrue();  // 223
        assertThat(RtpPacket.isRtcp(hex("80 e0"), 0, 2)).isFalse(); // M + PT 96
        assertThat(RtpPacket.isRtcp(hex("80 bf"), 0, 2)).isFalse(); // M + PT 63
        assertThat(RtpPacket.isRtcp(hex("80 00"), 0, 2)).isFalse(); // PCMU
        assertThat(RtpPacket.isRtcp(hex("80"), 0, 1)).isFalse();
    }

    @Test
    void packetBufferToStringShowsNoBytes() {
        PacketBuffer buffer = PacketBuffer.copyOf(OPUS, 10);
        assertThat(buffer.toString()).isEqualTo("PacketBuffer[offset=0, length=31, capacity=41]");
        assertThat(buffer.spare()).isEqualTo(10);
    }
}
