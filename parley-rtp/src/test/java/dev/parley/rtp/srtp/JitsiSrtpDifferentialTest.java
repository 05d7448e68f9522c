package dev.parley.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.PacketBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.ByteArrayBuffer;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Differential test against jitsi-srtp (test scope only), the SRTP stack of jitsi-videobridge, which interoperates
 * with browsers and libsrtp: random RTP and RTCP packets that Parley protects must unprotect with jitsi to the
 * original bytes, and the other way round, for all three profiles. Both implementations are deterministic given
 * the same index, so the protected bytes must also be identical, which pins key derivation (including the 12-octet
 * GCM salt), IV layout, tag placement and the SRTCP trailer.
 */
class JitsiSrtpDifferentialTest {
    private static final int PACKETS = 1500;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpProtectedByParleyIsWhatJitsiProducesAndUnprotects(SrtpProfile profile) throws Exception {
        Random random = new Random(3711L + profile.ordinal());
        Keys keys = Keys.random(profile, random);
        SrtpSender parley = new SrtpSender(profile, keys.key, keys.salt);
        SrtpReceiver parleyReceiver = new SrtpReceiver(profile, keys.key, keys.salt);
        SrtpContextFactory jitsiSend = keys.jitsi(profile, true);
        SrtpContextFactory jitsiReceive = keys.jitsi(profile, false);
        int[] ssrcs = {random.nextInt(), random.nextInt(), random.nextInt()};
        List<SrtpCryptoContext> jitsiSenders = new ArrayList<>();
        List<SrtpCryptoContext> jitsiReceivers = new ArrayList<>();
        int[] seqs = new int[ssrcs.length];
        for (int s = 0; s < ssrcs.length; s++) {
            jitsiSenders.add(jitsiSend.deriveContext(ssrcs[s], 0));
            jitsiReceivers.add(jitsiReceive.deriveContext(ssrcs[s], 0));
            seqs[s] = 65535 - 300 + random.nextInt(200); // every stream crosses 65535 -> 0 (ROC 0 -> 1)
        }

        for (int i = 0; i < PACKETS; i++) {
            int s = random.nextInt(ssrcs.length);
            byte[] plain = randomRtp(random, ssrcs[s], seqs[s]);
            seqs[s] = (seqs[s] + 1) & 0xFFFF;

            // Parley protects, jitsi unprotects
            PacketBuffer ours = PacketBuffer.copyOf(plain, profile.rtpOverhead());
            assertThat(parley.protectRtp(ours)).isEqualTo(SrtpStatus.OK);
            Buffer theirs = new Buffer(plain, profile.rtpOverhead());
            assertThat(jitsiSenders.get(s).transformPacket(theirs)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(ours.toByteArray()).as("protected packet %d", i).isEqualTo(theirs.bytes());

            Buffer decrypted = new Buffer(ours.toByteArray(), 0);
            assertThat(jitsiReceivers.get(s).reverseTransformPacket(decrypted, false)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(decrypted.bytes()).isEqualTo(plain);

            // jitsi protects, Parley unprotects
            PacketBuffer fromJitsi = PacketBuffer.copyOf(theirs.bytes(), 0);
            assertThat(parleyReceiver.unprotectRtp(fromJitsi)).as("packet %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(fromJitsi.toByteArray()).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpProtectedByParleyIsWhatJitsiProducesAndUnprotects(SrtpProfile profile) throws Exception {
        Random random = new Random(7714L + profile.ordinal());
        Keys keys = Keys.random(profile, random);
        SrtpSender parley = new SrtpSender(profile, keys.key, keys.salt);
        SrtpReceiver parleyReceiver = new SrtpReceiver(profile, keys.key, keys.salt);
        int ssrc = random.nextInt();
        SrtcpCryptoContext jitsiSender = keys.jitsi(profile, true).deriveControlContext(ssrc);
        SrtcpCryptoContext jitsiReceiver = keys.jitsi(profile, false).deriveControlContext(ssrc);

        for (int i = 0; i < PACKETS / 3; i++) {
            byte[] plain = randomRtcp(random, ssrc);

            PacketBuffer ours = PacketBuffer.copyOf(plain, profile.rtcpOverhead());
            assertThat(parley.protectRtcp(ours)).isEqualTo(SrtpStatus.OK);
            Buffer theirs = new Buffer(plain, profile.rtcpOverhead());
            assertThat(jitsiSender.transformPacket(theirs)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(ours.toByteArray()).as("protected RTCP %d", i).isEqualTo(theirs.bytes());

            Buffer decrypted = new Buffer(ours.toByteArray(), 0);
            assertThat(jitsiReceiver.reverseTransformPacket(decrypted)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(decrypted.bytes()).isEqualTo(plain);

            PacketBuffer fromJitsi = PacketBuffer.copyOf(theirs.bytes(), 0);
            assertThat(parleyReceiver.unprotectRtcp(fromJitsi)).as("RTCP %d", i).isEqualTo(SrtpStatus.OK);
            assertThat(fromJitsi.toByteArray()).isEqualTo(plain);
        }
    }

    /** V=2, random P-less header with 0-3 CSRCs, sometimes an RFC 8285 extension, random marker/PT and payload. */
    static byte[] randomRtp(Random random, int ssrc, int seq) {
        int csrcs = random.nextInt(4);
        boolean extension = random.nextInt(4) == 0;
        int extensionWords = extension ? 1 + random.nextInt(3) : 0;
        int payload = random.nextInt(320);
        byte[] packet = new byte[12 + 4 * csrcs + (extension ? 4 + 4 * extensionWords : 0) + payload];
        packet[0] = (byte) (0x80 | (extension ? 0x10 : 0) | csrcs);
        packet[1] = (byte) ((random.nextBoolean() ? 0x80 : 0) | random.nextInt(128));
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        PacketTransform.writeInt(packet, 4, random.nextInt());
        PacketTransform.writeInt(packet, 8, ssrc);
        int at = 12;
        for (int c = 0; c < csrcs; c++, at += 4) {
            PacketTransform.writeInt(packet, at, random.nextInt());
        }
        if (extension) {
            packet[at] = (byte) 0xBE;
            packet[at + 1] = (byte) 0xDE;
            packet[at + 3] = (byte) extensionWords;
            at += 4;
            for (int b = 0; b < 4 * extensionWords; b++) {
                packet[at++] = (byte) random.nextInt(256);
            }
        }
        for (; at < packet.length; at++) {
            packet[at] = (byte) random.nextInt(256);
        }
        return packet;
    }

    /** A receiver report with 0-5 random report blocks, its length field right. */
    static byte[] randomRtcp(Random random, int ssrc) {
        int blocks = random.nextInt(6);
        byte[] packet = new byte[8 + 24 * blocks];
        packet[0] = (byte) (0x80 | blocks);
        packet[1] = (byte) 201;
        int words = packet.length / 4 - 1;
        packet[2] = (byte) (words >>> 8);
        packet[3] = (byte) words;
        PacketTransform.writeInt(packet, 4, ssrc);
        for (int at = 8; at < packet.length; at++) {
            packet[at] = (byte) random.nextInt(256);
        }
        return packet;
    }

    private record Keys(byte[] key, byte[] salt) {
        static Keys random(SrtpProfile profile, Random random) {
            byte[] key = new byte[profile.masterKeyLength()];
            byte[] salt = new byte[profile.masterSaltLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            return new Keys(key, salt);
        }

        /** The policies jitsi-videobridge builds for these profiles (RTCP keeps the 80-bit tag with _32). */
        SrtpContextFactory jitsi(SrtpProfile profile, boolean sender) throws GeneralSecurityException {
            SrtpPolicy rtp;
            SrtpPolicy rtcp;
            switch (profile) {
                case AES_CM_128_HMAC_SHA1_80 -> {
                    rtp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
                    rtcp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
                }
                case AES_CM_128_HMAC_SHA1_32 -> {
                    rtp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 4, 14);
                    rtcp = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
                }
                case AEAD_AES_128_GCM -> {
                    rtp = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
                    rtcp = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
                }
                default -> throw new AssertionError(profile);
            }
            return new SrtpContextFactory(sender, key.clone(), salt.clone(), rtp, rtcp, new LoggerImpl("jitsi-oracle"));
        }
    }

    /** jitsi's buffer interface over a growable array. */
    private static final class Buffer implements ByteArrayBuffer {
        private byte[] array;
        private int offset;
        private int length;

        Buffer(byte[] bytes, int spare) {
            this.array = Arrays.copyOf(bytes, bytes.length + spare);
            this.length = bytes.length;
        }

        byte[] bytes() {
            return Arrays.copyOfRange(array, offset, offset + length);
        }

        @Override public byte[] getBuffer() { return array; }
        @Override public int getOffset() { return offset; }
        @Override public int getLength() { return length; }
        @Override public void setLength(int length) { this.length = length; }
        @Override public void setOffset(int offset) { this.offset = offset; }
        @Override public boolean isInvalid() { return false; }

        @Override
        public void readRegionToBuff(int off, int len, byte[] out) {
            System.arraycopy(array, offset + off, out, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            if (array.length - offset - length < howMuch) {
                array = Arrays.copyOf(array, offset + length + howMuch);
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, array, offset + length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
