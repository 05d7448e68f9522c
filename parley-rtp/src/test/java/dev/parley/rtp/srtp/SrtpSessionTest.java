package dev.parley.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of a sender/receiver pair: RFC 3711 §3.3 (index, replay) and the per-SSRC state rules. */
class SrtpSessionTest {
    private static final int SSRC = 0x1234ABCD;

    private static byte[] key(SrtpProfile profile, int seed) {
        byte[] key = new byte[profile.masterKeyLength()];
        new Random(seed).nextBytes(key);
        return key;
    }

    private static byte[] salt(SrtpProfile profile, int seed) {
        byte[] salt = new byte[profile.masterSaltLength()];
        new Random(seed + 1000).nextBytes(salt);
        return salt;
    }

    private static SrtpSender sender(SrtpProfile profile) {
        return new SrtpSender(profile, key(profile, 1), salt(profile, 1));
    }

    private static SrtpReceiver receiver(SrtpProfile profile) {
        return new SrtpReceiver(profile, key(profile, 1), salt(profile, 1));
    }

    /** A 172-octet G.711 packet (12-octet header, 160 octets = 20 ms at 8 kHz). */
    static byte[] g711(int ssrc, int seq) {
        byte[] packet = new byte[172];
        RtpPacket.writeHeader(packet, 0, false, 0, seq, seq * 160, ssrc);
        for (int i = 12; i < packet.length; i++) {
            packet[i] = (byte) (i * 7 + seq);
        }
        return packet;
    }

    private static PacketBuffer protect(SrtpSender sender, byte[] plain) {
        PacketBuffer buffer = PacketBuffer.copyOf(plain, 16);
        assertThat(sender.protectRtp(buffer)).isEqualTo(SrtpStatus.OK);
        return buffer;
    }

    private static PacketBuffer copy(PacketBuffer buffer) {
        return PacketBuffer.copyOf(buffer.toByteArray(), 0);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripRestoresTheExactPacketAndAddsTheProfilesOverhead(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        for (int seq = 100; seq < 110; seq++) {
            byte[] plain = g711(SSRC, seq);
            PacketBuffer buffer = protect(sender, plain);
            assertThat(buffer.length()).isEqualTo(plain.length + profile.rtpOverhead());
            assertThat(Arrays.copyOfRange(buffer.array(), 12, 172)).isNotEqualTo(Arrays.copyOfRange(plain, 12, 172));
            assertThat(receiver.unprotectRtp(buffer)).isEqualTo(SrtpStatus.OK);
            assertThat(buffer.toByteArray()).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripRestoresTheExactPacket(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        byte[] plain = JitsiSrtpDifferentialTest.randomRtcp(new Random(5), SSRC);
        PacketBuffer buffer = PacketBuffer.copyOf(plain, profile.rtcpOverhead());
        assertThat(sender.protectRtcp(buffer)).isEqualTo(SrtpStatus.OK);
        assertThat(buffer.length()).isEqualTo(plain.length + profile.rtcpOverhead());
        PacketBuffer replay = copy(buffer);
        assertThat(receiver.unprotectRtcp(buffer)).isEqualTo(SrtpStatus.OK);
        assertThat(buffer.toByteArray()).isEqualTo(plain);
        assertThat(receiver.unprotectRtcp(replay)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedPacketIsRefusedAndOutOfOrderPacketsInsideTheWindowAreAccepted(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        PacketBuffer[] packets = new PacketBuffer[200];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = protect(sender, g711(SSRC, 1000 + i));
        }
        assertThat(receiver.unprotectRtp(copy(packets[199]))).isEqualTo(SrtpStatus.OK);
        // reordered: 0..198 arrive after 199, all within the 256-packet window
        for (int i = 198; i >= 0; i -= 3) {
            assertThat(receiver.unprotectRtp(copy(packets[i]))).as("packet %d", i).isEqualTo(SrtpStatus.OK);
        }
        assertThat(receiver.unprotectRtp(copy(packets[198]))).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(receiver.unprotectRtp(copy(packets[199]))).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(receiver.unprotectRtp(copy(packets[197]))).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void aPacketBehindTheWindowIsTooOld() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        PacketBuffer old = protect(sender, g711(SSRC, 10));
        for (int seq = 11; seq < 11 + ReplayWindow.SIZE; seq++) {
            assertThat(receiver.unprotectRtp(protect(sender, g711(SSRC, seq)))).isEqualTo(SrtpStatus.OK);
        }
        assertThat(receiver.unprotectRtp(old)).isEqualTo(SrtpStatus.TOO_OLD);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rolloverAcrossSequence65535To0KeepsAuthenticatingAndReordersAcrossTheWrap(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        // 65530 .. 65535, 0 .. 9: the sender's ROC goes 0 -> 1 at the wrap
        int[] order = {65530, 65531, 65532, 65533, 0, 65534, 1, 65535, 2, 3, 4, 5, 6, 7, 8, 9};
        PacketBuffer[] sent = new PacketBuffer[16];
        int[] sendOrder = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = 0; i < sendOrder.length; i++) {
            sent[i] = protect(sender, g711(SSRC, sendOrder[i]));
        }
        for (int seq : order) {
            int i = indexOf(sendOrder, seq);
            assertThat(receiver.unprotectRtp(sent[i])).as("seq %d", seq).isEqualTo(SrtpStatus.OK);
            assertThat(sent[i].toByteArray()).isEqualTo(g711(SSRC, seq));
        }
        // a receiver that wrongly kept ROC 0 would fail here; one with ROC 1 succeeds for a later packet too
        assertThat(receiver.unprotectRtp(protect(sender, g711(SSRC, 10)))).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void theSenderDetectsTheWrapAndTheReceiverFailsIfItMissedTheFirstHalf() {
        // a receiver created after the wrap starts with ROC 0 (RFC 3711 §3.3.1) while the sender uses ROC 1:
        // authentication fails, which shows the index (ROC included) is really authenticated
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpSender sender = sender(profile);
        protect(sender, g711(SSRC, 65535));
        PacketBuffer afterWrap = protect(sender, g711(SSRC, 0));
        assertThat(receiver(profile).unprotectRtp(afterWrap)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedPacketCreatesNoSsrcContextAndDoesNotMoveTheRoc(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        assertThat(receiver.unprotectRtp(protect(sender, g711(SSRC, 40000)))).isEqualTo(SrtpStatus.OK);

        // forged: an unknown SSRC with garbage tag
        byte[] forged = g711(0x66666666, 1);
        PacketBuffer forgedBuffer = PacketBuffer.copyOf(forged, 0);
        forgedBuffer.length(forged.length);
        assertThat(receiver.unprotectRtp(forgedBuffer)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(receiver.rtpSsrcCount()).isEqualTo(1);

        // forged: the known SSRC with a sequence number that would push the ROC estimate forward
        PacketBuffer genuine = protect(sender, g711(SSRC, 40001));
        PacketBuffer tampered = copy(genuine);
        tampered.array()[2] = (byte) 0x10; // SEQ 40001 -> 0x10..: an index in the next ROC if it were accepted
        tampered.array()[3] = (byte) 0x00;
        assertThat(receiver.unprotectRtp(tampered)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(receiver.unprotectRtp(genuine)).isEqualTo(SrtpStatus.OK);

        // forged RTCP from an unknown SSRC
        byte[] rtcp = JitsiSrtpDifferentialTest.randomRtcp(new Random(1), 0x77777777);
        PacketBuffer forgedRtcp = PacketBuffer.copyOf(Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead()), 0);
        assertThat(receiver.unprotectRtcp(forgedRtcp)).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(receiver.rtcpSsrcCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aWrongKeyOrSaltFailsAuthentication(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver wrongKey = new SrtpReceiver(profile, key(profile, 2), salt(profile, 1));
        SrtpReceiver wrongSalt = new SrtpReceiver(profile, key(profile, 1), salt(profile, 2));
        PacketBuffer packet = protect(sender, g711(SSRC, 5));
        assertThat(wrongKey.unprotectRtp(copy(packet))).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(wrongSalt.unprotectRtp(copy(packet))).isEqualTo(SrtpStatus.AUTH_FAILED);
        assertThat(wrongKey.rtpSsrcCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedPacketsGiveAStatusNeverAnException(SrtpProfile profile) {
        SrtpSender sender = sender(profile);
        SrtpReceiver receiver = receiver(profile);
        byte[] rtp = protect(sender, g711(SSRC, 7)).toByteArray();
        PacketBuffer rtcpBuffer = PacketBuffer.copyOf(JitsiSrtpDifferentialTest.randomRtcp(new Random(2), SSRC), 32);
        assertThat(sender.protectRtcp(rtcpBuffer)).isEqualTo(SrtpStatus.OK);
        byte[] rtcp = rtcpBuffer.toByteArray();
        for (int length = 0; length < rtp.length; length++) {
            SrtpStatus status = receiver.unprotectRtp(new PacketBuffer(rtp.clone(), 0, length));
            assertThat(status).as("RTP of %d octets", length).isNotEqualTo(SrtpStatus.OK);
        }
        for (int length = 0; length < rtcp.length; length++) {
            SrtpStatus status = receiver.unprotectRtcp(new PacketBuffer(rtcp.clone(), 0, length));
            assertThat(status).as("RTCP of %d octets", length).isNotEqualTo(SrtpStatus.OK);
        }
        assertThat(receiver.unprotectRtp(new PacketBuffer(rtp.clone(), 0, 11))).isEqualTo(SrtpStatus.TOO_SHORT);
        assertThat(receiver.unprotectRtcp(new PacketBuffer(rtcp.clone(), 0, 7))).isEqualTo(SrtpStatus.TOO_SHORT);
        assertThat(receiver.rtpSsrcCount()).isZero();
        // the whole packets still work afterwards
        assertThat(receiver.unprotectRtp(PacketBuffer.copyOf(rtp, 0))).isEqualTo(SrtpStatus.OK);
        assertThat(receiver.unprotectRtcp(PacketBuffer.copyOf(rtcp, 0))).isEqualTo(SrtpStatus.OK);
    }

    @Test
    void malformedHeadersAndMissingRoomAreStatuses() {
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        SrtpSender sender = sender(profile);
        byte[] plain = g711(SSRC, 1);
        assertThat(sender.protectRtp(PacketBuffer.copyOf(plain, profile.rtpOverhead() - 1)))
                .isEqualTo(SrtpStatus.NO_SPACE);
        byte[] version1 = plain.clone();
        version1[0] = 0x40;
        assertThat(sender.protectRtp(PacketBuffer.copyOf(version1, 16))).isEqualTo(SrtpStatus.MALFORMED);
        byte[] csrcOverrun = plain.clone();
        csrcOverrun[0] = (byte) 0x8F;
        assertThat(receiver(profile).unprotectRtp(new PacketBuffer(csrcOverrun, 0, 40)))
                .isEqualTo(SrtpStatus.MALFORMED);
    }

    @Test
    void theSenderRefusesToReuseAnIndexBecauseThatWouldReuseKeystream() {
        SrtpSender sender = sender(SrtpProfile.AEAD_AES_128_GCM);
        protect(sender, g711(SSRC, 9));
        PacketBuffer again = PacketBuffer.copyOf(g711(SSRC, 9), 16);
        assertThat(sender.protectRtp(again)).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(again.toByteArray()).isEqualTo(g711(SSRC, 9)); // left untouched
    }

    @Test
    void theNumberOfSsrcContextsIsCapped() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_32;
        SrtpSender sender = new SrtpSender(profile, key(profile, 1), salt(profile, 1), 3);
        SrtpReceiver receiver = new SrtpReceiver(profile, key(profile, 1), salt(profile, 1), 2);
        for (int ssrc = 1; ssrc <= 3; ssrc++) {
            PacketBuffer packet = protect(sender, g711(ssrc, 1));
            assertThat(receiver.unprotectRtp(packet)).isEqualTo(ssrc <= 2 ? SrtpStatus.OK : SrtpStatus.SSRC_LIMIT);
        }
        assertThat(sender.protectRtp(PacketBuffer.copyOf(g711(4, 1), 16))).isEqualTo(SrtpStatus.SSRC_LIMIT);
        assertThat(receiver.rtpSsrcCount()).isEqualTo(2);
    }

    @Test
    void keysOfTheWrongLengthAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> new SrtpSender(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[14]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12-octet master salt");
        SrtpSender sender = sender(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(sender.toString()).doesNotContainIgnoringCase(Hex.of(key(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 1)));
    }

    @Test
    void sdesNamesMapToProfiles() {
        assertThat(SrtpProfile.fromSdesName("AES_CM_128_HMAC_SHA1_80")).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(SrtpProfile.fromSdesName("AES_CM_128_HMAC_SHA1_32")).contains(SrtpProfile.AES_CM_128_HMAC_SHA1_32);
        assertThat(SrtpProfile.fromSdesName("AEAD_AES_128_GCM")).contains(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromSdesName("F8_128_HMAC_SHA1_80")).isEmpty();
        assertThat(SrtpProfile.AEAD_AES_128_GCM.rtcpOverhead()).isEqualTo(20);
        assertThat(SrtpProfile.AES_CM_128_HMAC_SHA1_32.rtcpOverhead()).isEqualTo(14);
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new AssertionError(value);
    }
}
