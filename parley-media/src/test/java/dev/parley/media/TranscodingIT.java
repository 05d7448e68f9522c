package dev.parley.media;

import static dev.parley.media.Packets.payload;
import static dev.parley.media.Packets.payloadType;
import static dev.parley.media.Packets.rtp;
import static dev.parley.media.Packets.sequence;
import static dev.parley.media.Packets.ssrc;
import static dev.parley.media.Packets.timestamp;
import static dev.parley.media.codec.Audio.decibels;
import static dev.parley.media.codec.Audio.dominant;
import static dev.parley.media.codec.Audio.rms;
import static dev.parley.media.codec.Audio.toneToRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parley.media.codec.Audio;
import dev.parley.media.codec.G711;
import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.PayloadFormat;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Opus on one leg, G.711 on the other, over real UDP on 127.0.0.1: a 1 kHz tone sent in real time as one side
 * encodes it arrives at the other side in the other codec, every packet of it, at the same frequency and level.
 */
class TranscodingIT extends MediaTestSupport {
    private static final PayloadFormat OPUS = new PayloadFormat(111, "opus", 48000, 2, "useinbandfec=1");
    private static final PayloadFormat EVENTS_48K = PayloadFormat.of(126, "telephone-event", 48000);
    private static final PayloadFormat EVENTS_8K = PayloadFormat.of(101, "telephone-event", 8000);
    private static final double[] PROBES = {300, 500, 700, 1000, 1300, 1700, 2000, 3000};
    private static final double AMPLITUDE = 0.3;
    private static final int PACKETS = 50; // one second

    /** Sends packets 20 ms apart, as a phone does. */
    private static void sendPaced(Peer from, InetSocketAddress to, List<byte[]> packets) {
        long next = System.nanoTime();
        for (byte[] p : packets) {
            LockSupport.parkNanos(next - System.nanoTime());
            from.send(p, to);
            next += TimeUnit.MILLISECONDS.toNanos(20);
        }
    }

    /** RTP packets arriving at {@code peer} until {@code count} did or nothing came for a second. */
    private static List<byte[]> receiveRtp(Peer peer, int count) {
        List<byte[]> got = new ArrayList<>();
        while (got.size() < count) {
            Optional<byte[]> next = peer.receiveWithin(1000);
            if (next.isEmpty()) {
                break;
            }
            int second = next.get()[1] & 0xFF;
            if (second < 200 || second > 204) { // RFC 5761 §4: not an RTCP packet type
                got.add(next.get());
            }
        }
        return got;
    }

    private static void assertContinuous(List<byte[]> packets, int timestampStep) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(sequence(packets.get(i))).isEqualTo((sequence(packets.get(i - 1)) + 1) & 0xFFFF);
            assertThat((timestamp(packets.get(i)) - timestamp(packets.get(i - 1))) & 0xFFFFFFFFL)
                    .isEqualTo(timestampStep);
            assertThat(ssrc(packets.get(i))).isEqualTo(ssrc(packets.get(0)));
        }
    }

    @Test
    void anOpusToneArrivesAsPcmuAndAPcmuToneAsOpusEveryPacketAtTheSameFrequencyAndLevel() {
        NettyMediaService media = start(settings());
        Peer opusPhone = peer();
        Peer pcmuPhone = peer();
        Legs legs = bridged(media, plain(opusPhone.address(), Direction.SENDRECV, OPUS, EVENTS_48K),
                plain(pcmuPhone.address(), Direction.SENDRECV, PCMU, EVENTS_8K));
        double inputRms = AMPLITUDE * 32767 / Math.sqrt(2);

        // Opus → PCMU.
        byte[][] encoded = Audio.encode48k(Audio.peerEncoder(1, true), Audio.tone(48000, 1000, AMPLITUDE, 0, 1.0), 1);
        List<byte[]> opus = new ArrayList<>();
        for (int i = 0; i < PACKETS; i++) {
            opus.add(rtp(111, 40000 + i, 123456L + i * 960L, 0xA1A1A1A1L, encoded[i]));
        }
        sendPaced(opusPhone, legs.a().rtp(), opus);
        List<byte[]> atPcmuPhone = receiveRtp(pcmuPhone, PACKETS);

        assertThat(atPcmuPhone).as("every packet arrived").hasSize(PACKETS);
        assertThat(atPcmuPhone).allSatisfy(p -> {
            assertThat(payloadType(p)).isZero();
            assertThat(payload(p)).hasSize(160);
        });
        assertContinuous(atPcmuPhone, 160);
        short[] heard = new short[PACKETS * 160];
        for (int i = 0; i < PACKETS; i++) {
            G711.decode(true, payload(atPcmuPhone.get(i)), 0, 160, heard, i * 160);
        }
        int from = 800; // past the codec's first 100 ms
        assertThat(dominant(heard, from, heard.length, 8000, PROBES)).isEqualTo(1000);
        assertThat(decibels(rms(heard, from, heard.length) / inputRms)).isCloseTo(0, within(1.0));
        assertThat(toneToRest(heard, from, heard.length, 8000, 1000)).isGreaterThan(25);

        // PCMU → Opus.
        short[] tone = Audio.tone(8000, 1000, AMPLITUDE, 0, 1.0);
        List<byte[]> pcmu = new ArrayList<>();
        for (int i = 0; i < PACKETS; i++) {
            byte[] payload = new byte[160];
            G711.encode(true, tone, i * 160, 160, payload, 0);
            pcmu.add(rtp(0, 7000 + i, 99999L + i * 160L, 0xB2B2B2B2L, payload));
        }
        sendPaced(pcmuPhone, legs.b().rtp(), pcmu);
        List<byte[]> atOpusPhone = receiveRtp(opusPhone, PACKETS);

        assertThat(atOpusPhone).as("every packet arrived").hasSize(PACKETS);
        assertThat(atOpusPhone).allSatisfy(p -> assertThat(payloadType(p)).isEqualTo(111));
        assertContinuous(atOpusPhone, 960);
        short[] decoded = Audio.decode48k(Audio.peerDecoder(), atOpusPhone.stream().map(Packets::payload).toList());
        assertThat(decoded).hasSize(PACKETS * 960);
        int from48 = 4800;
        assertThat(dominant(decoded, from48, decoded.length, 48000, PROBES)).isEqualTo(1000);
        assertThat(decibels(rms(decoded, from48, decoded.length) / inputRms)).isCloseTo(0, within(1.5));
        assertThat(toneToRest(decoded, from48, decoded.length, 48000, 1000)).isGreaterThan(20);

        assertThat(media.stats(legs.a().id()).packetsDropped()).isZero();
        assertThat(media.stats(legs.b().id()).packetsDropped()).isZero();
    }

    @Test
    void telephoneEventsCrossWithTheirClockTranslatedAndInTheAudioStream() {
        NettyMediaService media = start(settings());
        Peer opusPhone = peer();
        Peer pcmuPhone = peer();
        Legs legs = bridged(media, plain(opusPhone.address(), Direction.SENDRECV, OPUS, EVENTS_48K),
                plain(pcmuPhone.address(), Direction.SENDRECV, PCMU, EVENTS_8K));
        byte[][] encoded = Audio.encode48k(Audio.peerEncoder(1, false), Audio.tone(48000, 1000, AMPLITUDE, 0, 0.1), 1);

        opusPhone.send(rtp(111, 1, 960_000, 0xC3C3C3C3L, encoded[0]), legs.a().rtp());
        byte[] audio = pcmuPhone.receive();
        // RFC 4733 §2.3: digit 7, volume 10, duration 4800 at 48 kHz (100 ms), starting 20 ms after the audio.
        opusPhone.send(rtp(126, 2, 960_960, 0xC3C3C3C3L, new byte[] {7, 10, 0x12, (byte) 0xC0}), legs.a().rtp());
        byte[] event = pcmuPhone.receive();

        assertThat(payloadType(event)).isEqualTo(101);
        assertThat(sequence(event)).isEqualTo((sequence(audio) + 1) & 0xFFFF);
        assertThat(ssrc(event)).isEqualTo(ssrc(audio));
        assertThat((timestamp(event) - timestamp(audio)) & 0xFFFFFFFFL).as("20 ms at 8 kHz").isEqualTo(160);
        byte[] body = payload(event);
        assertThat(body[0]).isEqualTo((byte) 7);
        assertThat(((body[2] & 0xFF) << 8) | (body[3] & 0xFF)).as("100 ms at 8 kHz").isEqualTo(800);
    }
}
