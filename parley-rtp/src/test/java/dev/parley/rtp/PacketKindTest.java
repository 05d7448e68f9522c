package dev.parley.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7983 §7 first-octet ranges and RFC 5761 §4 RTP/RTCP split, at every boundary. */
class PacketKindTest {
    private static PacketKind kind(int first, int second) {
        return PacketKind.of(new byte[] {(byte) first, (byte) second}, 0, 2);
    }

    @Test
    void rfc7983_everyFirstOctet() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected = b <= 3 ? PacketKind.STUN
                    : b < 16 ? PacketKind.UNKNOWN
                    : b <= 19 ? PacketKind.ZRTP
                    : b <= 63 ? PacketKind.DTLS
                    : b <= 79 ? PacketKind.TURN_CHANNEL
                    : b < 128 ? PacketKind.UNKNOWN
                    : b <= 191 ? PacketKind.RTP
                    : PacketKind.UNKNOWN;
            assertThat(kind(b, 0)).as("first octet %d", b).isEqualTo(expected);
        }
    }

    @Test
    void rfc5761_secondOctet192To223IsRtcp() {
        assertThat(kind(0x80, 191)).isEqualTo(PacketKind.RTP);
        assertThat(kind(0x80, 192)).isEqualTo(PacketKind.RTCP);
        assertThat(kind(0x81, 200)).isEqualTo(PacketKind.RTCP); // SR
        assertThat(kind(0x80, 223)).isEqualTo(PacketKind.RTCP);
        assertThat(kind(0x80, 224)).isEqualTo(PacketKind.RTP);
        assertThat(kind(0x80, 0x80 | 111)).isEqualTo(PacketKind.RTP); // Opus with marker: 239
    }

    @Test
    void emptyAndOffsetInput() {
        assertThat(PacketKind.of(new byte[0], 0, 0)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.of(new byte[] {0x7F, 0x16, 0x01}, 1, 1)).isEqualTo(PacketKind.DTLS);
        assertThat(PacketKind.of(new byte[] {(byte) 0x80}, 0, 1)).isEqualTo(PacketKind.RTP);
    }
}
