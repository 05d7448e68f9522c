package dev.parley.media.relay;

import static dev.parley.media.codec.Audio.decibels;
import static dev.parley.media.codec.Audio.dominant;
import static dev.parley.media.codec.Audio.onset;
import static dev.parley.media.codec.Audio.rms;
import static dev.parley.media.codec.Audio.toneToRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parley.media.codec.Audio;
import dev.parley.media.codec.G711;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opus ↔ G.711 transcoding packet by packet, without sockets: a 1 kHz tone goes through and comes out at the same
 * frequency and level, every 20 ms of the timeline is sent (losses concealed), and the RTP numbering is continuous
 * in the output clock (RFC 7587 §4.1: 48 kHz for Opus; RFC 3551: 8 kHz for G.711).
 */
class OpusTranscodingTest {
    static final PayloadFormat OPUS = new PayloadFormat(111, "opus", 48000, 2, "useinbandfec=1");
    static final PayloadFormat PCMU = PayloadFormat.of(0, "PCMU", 8000);
    static final PayloadFormat PCMA = PayloadFormat.of(8, "PCMA", 8000);
    static final double[] PROBES = {300, 500, 700, 1000, 1300, 1700, 2000, 3000};
    static final double AMPLITUDE = 0.3; // about -10 dBFS, a normal speech level
    static final int SSRC = 0x12345678;

    private final Workspace w = new Workspace();

    /** One packet as it left the transcoder. */
    record Sent(boolean marker, int type, int sequence, int timestamp, int ssrc, byte[] payload) {
    }

    private List<Sent> feed(Transcoder transcoder, int type, int sequence, int timestamp, byte[] payload) {
        int header = RtpPacket.writeHeader(w.array, 0, false, type, sequence, timestamp, SSRC);
        System.arraycopy(payload, 0, w.array, header, payload.length);
        w.buffer.set(w.array, 0, header + payload.length);
        w.rtp.wrap(w.buffer);
        List<Sent> out = new ArrayList<>();
        transcoder.accept(w.rtp);
        while (transcoder.next(w)) {
            RtpPacket p = w.rtp;
            out.add(new Sent(p.marker(), p.payloadType(), p.sequenceNumber(), p.timestamp(), p.ssrc(),
                    Arrays.copyOfRange(p.array(), p.payloadOffset(), p.payloadOffset() + p.payloadLength())));
        }
        return out;
    }

    private static short[] decodeUlaw(List<Sent> packets) {
        int total = packets.stream().mapToInt(p -> p.payload().length).sum();
        short[] pcm = new short[total];
        int at = 0;
        for (Sent p : packets) {
            G711.decode(true, p.payload(), 0, p.payload().length, pcm, at);
            at += p.payload().length;
        }
        return pcm;
    }

    private List<Sent> opusToPcmu(OpusToG711 t, byte[][] packets, Set<Integer> lost) {
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i < packets.length; i++) {
            if (!lost.contains(i)) {
                out.addAll(feed(t, 111, 1000 + i, 5000 + i * 960, packets[i]));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} channel(s)")
    @ValueSource(ints = {1, 2})
    void anOpusToneArrivesAsPcmuAtTheSameFrequencyAndLevelWithEveryFrameAndAFewMillisecondsOfDelay(int channels) {
        short[] mono = Audio.tone(48000, 1000, AMPLITUDE, 0.2, 1.0);
        byte[][] packets = Audio.encode48k(Audio.peerEncoder(channels, false),
                channels == 2 ? Audio.stereo(mono) : mono, channels);
        OpusToG711 t = new OpusToG711(OPUS, PCMU, Renumbering.between(48000, 8000));

        List<Sent> out = opusToPcmu(t, packets, Set.of());

        assertThat(out).hasSize(packets.length); // 60 packets: 1.2 s
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).sequence()).isEqualTo((out.get(i - 1).sequence() + 1) & 0xFFFF);
            assertThat(out.get(i).timestamp() - out.get(i - 1).timestamp()).as("8 kHz clock").isEqualTo(160);
            assertThat(out.get(i).payload()).hasSize(160);
            assertThat(out.get(i).ssrc()).isEqualTo(out.get(0).ssrc());
        }
        short[] pcm = decodeUlaw(out);
        int from = 8000 * 3 / 10; // past the onset at 0.2 s and the codec's settling
        double inputRms = AMPLITUDE * 32767 / Math.sqrt(2);
        assertThat(dominant(pcm, from, pcm.length, 8000, PROBES)).isEqualTo(1000);
        assertThat(decibels(rms(pcm, from, pcm.length) / inputRms)).as("level in dB").isCloseTo(0, within(1.0));
        double snr = toneToRest(pcm, from, pcm.length, 8000, 1000);
        assertThat(snr).as("tone to everything else, dB").isGreaterThan(25);
        int delaySamples = onset(pcm, 8000, inputRms) - 8000 / 5;
        System.out.printf("opus(%d ch)->PCMU: level %.2f dB, tone/rest %.1f dB, delay %.1f ms%n", channels,
                decibels(rms(pcm, from, pcm.length) / inputRms), snr, delaySamples / 8.0);
        assertThat(delaySamples / 8.0).as("delay in ms").isBetween(0.0, 20.0);
    }

    @Test
    void pcmaIsEncodedWithTheALaw() {
        byte[][] packets = Audio.encode48k(Audio.peerEncoder(1, false), Audio.tone(48000, 1000, AMPLITUDE, 0, 0.4), 1);
        OpusToG711 t = new OpusToG711(OPUS, PCMA, Renumbering.between(48000, 8000));
        List<Sent> out = opusToPcmu(t, packets, Set.of());
        short[] pcm = new short[out.size() * 160];
        for (int i = 0; i < out.size(); i++) {
            G711.decode(false, out.get(i).payload(), 0, 160, pcm, i * 160);
        }
        assertThat(dominant(pcm, 800, pcm.length, 8000, PROBES)).isEqualTo(1000);
        assertThat(decibels(rms(pcm, 800, pcm.length) / (AMPLITUDE * 32767 / Math.sqrt(2)))).isCloseTo(0, within(1.0));
    }

    @Test
    void lostOpusPacketsAreFilledByConcealmentAndFecSoTheG711SideKeepsEvery20Milliseconds() {
        byte[][] packets = Audio.encode48k(Audio.peerEncoder(1, true), Audio.tone(48000, 1000, AMPLITUDE, 0, 1.0), 1);
        OpusToG711 t = new OpusToG711(OPUS, PCMU, Renumbering.between(48000, 8000));

        // One packet lost, then three in a row, then a gap longer than concealment covers.
        Set<Integer> lost = Set.of(10, 20, 21, 22, 30, 31, 32, 33, 34, 35, 36);
        List<Sent> out = opusToPcmu(t, packets, lost);

        // Gaps of up to five packets are filled: all but the seven-packet gap.
        assertThat(out).hasSize(packets.length - 7);
        assertThat(t.recovered()).as("the last missing packet of each filled gap, from the next one's FEC").isEqualTo(2);
        assertThat(t.concealed()).as("the other missing ones, by PLC").isEqualTo(2);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).sequence()).isEqualTo((out.get(i - 1).sequence() + 1) & 0xFFFF);
            int step = out.get(i).timestamp() - out.get(i - 1).timestamp();
            assertThat(step).isEqualTo(i == 30 ? 160 * 8 : 160);
        }
        // A single loss recovered from FEC carries the tone at its level; in a burst the first concealed frame is
        // close to it and later ones fade (RFC 6716 §4.4: concealment attenuates as the loss goes on).
        short[] pcm = decodeUlaw(out);
        double steady = rms(pcm, 800, 1600);
        double recoveredLevel = decibels(rms(pcm, 10 * 160, 11 * 160) / steady);
        double concealedLevel = decibels(rms(pcm, 20 * 160, 21 * 160) / steady);
        assertThat(recoveredLevel).as("a single lost frame, from FEC, dB").isCloseTo(0, within(1.0));
        assertThat(dominant(pcm, 10 * 160, 11 * 160, 8000, PROBES)).isEqualTo(1000);
        assertThat(concealedLevel).as("the first concealed frame of a burst, dB").isCloseTo(0, within(3.0));
        assertThat(dominant(pcm, 20 * 160, 21 * 160, 8000, PROBES)).isEqualTo(1000);
        System.out.printf("loss: FEC-recovered frame %.2f dB (tone/rest %.1f dB); burst of 3: %.2f, %.2f, %.2f dB%n",
                recoveredLevel, toneToRest(pcm, 10 * 160, 11 * 160, 8000, 1000), concealedLevel,
                decibels(rms(pcm, 21 * 160, 22 * 160) / steady), decibels(rms(pcm, 22 * 160, 23 * 160) / steady));
    }

    @Test
    void duplicateAndLatePacketsAreDroppedAndMalformedOnesYieldNothing() {
        byte[][] packets = Audio.encode48k(Audio.peerEncoder(1, false), Audio.tone(48000, 1000, AMPLITUDE, 0, 0.1), 1);
        OpusToG711 t = new OpusToG711(OPUS, PCMU, Renumbering.between(48000, 8000));
        assertThat(feed(t, 111, 10, 9600, packets[0])).hasSize(1);
        assertThat(feed(t, 111, 11, 10560, packets[1])).hasSize(1);
        assertThat(feed(t, 111, 11, 10560, packets[1])).as("duplicate").isEmpty();
        assertThat(feed(t, 111, 9, 8640, packets[2])).as("late").isEmpty();
        // RFC 6716 §3.2.5: code 3 with a frame count of 0 is invalid.
        assertThat(feed(t, 111, 12, 11520, new byte[] {0x03, 0x00})).isEmpty();
        assertThat(feed(t, 111, 13, 12480, new byte[0])).isEmpty();
        assertThat(feed(t, 111, 14, 13440, packets[3])).as("decoding carries on").isNotEmpty();
    }

    @ParameterizedTest(name = "{0} ms G.711 packets")
    @ValueSource(ints = {10, 20, 30})
    void aPcmuToneArrivesAsOpusIn20MillisecondFramesOnThe48KilohertzClock(int packetMillis) {
        short[] tone = Audio.tone(8000, 1000, AMPLITUDE, 0.2, 1.0);
        int perPacket = packetMillis * 8;
        Renumbering numbering = Renumbering.between(8000, 48000);
        G711ToOpus t = new G711ToOpus(PCMU, OPUS, numbering);
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i + perPacket <= tone.length; i += perPacket) {
            byte[] payload = new byte[perPacket];
            G711.encode(true, tone, i, perPacket, payload, 0);
            out.addAll(feed(t, 0, 100 + i / perPacket, 7777 + i, payload));
        }

        assertThat(out).hasSize(tone.length / 160);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).sequence()).isEqualTo((out.get(i - 1).sequence() + 1) & 0xFFFF);
            assertThat(out.get(i).timestamp() - out.get(i - 1).timestamp()).as("48 kHz clock").isEqualTo(960);
            assertThat(out.get(i).type()).isEqualTo(111);
        }
        short[] pcm = Audio.decode48k(Audio.peerDecoder(), out.stream().map(Sent::payload).toList());
        assertThat(pcm).hasSize(out.size() * 960);
        int from = 48000 * 3 / 10;
        double inputRms = AMPLITUDE * 32767 / Math.sqrt(2);
        assertThat(dominant(pcm, from, pcm.length, 48000, PROBES)).isEqualTo(1000);
        double level = decibels(rms(pcm, from, pcm.length) / inputRms);
        assertThat(level).as("level in dB").isCloseTo(0, within(1.5));
        double snr = toneToRest(pcm, from, pcm.length, 48000, 1000);
        assertThat(snr).as("tone to everything else, dB").isGreaterThan(20);
        double delay = (onset(pcm, 48000, inputRms) - 48000 / 5) / 48.0;
        System.out.printf("PCMU(%d ms)->opus: level %.2f dB, tone/rest %.1f dB, delay %.1f ms, %d b/s%n",
                packetMillis, level, snr, delay, t.bitrate());
        assertThat(delay).as("delay in ms").isBetween(0.0, 30.0);
    }

    @Test
    void aGapInTheG711TimelineDropsTheUnfinishedFrameAndStartsAfresh() {
        G711ToOpus t = new G711ToOpus(PCMA, OPUS, Renumbering.between(8000, 48000));
        byte[] tenMs = new byte[80];
        Arrays.fill(tenMs, (byte) 0xD5);
        assertThat(feed(t, 8, 1, 0, tenMs)).isEmpty();
        Sent first = feed(t, 8, 2, 80, tenMs).getFirst();
        assertThat(feed(t, 8, 3, 160, tenMs)).isEmpty();
        // Packet 4 lost: packet 5's samples do not continue the 10 ms queued from packet 3, which is dropped.
        assertThat(feed(t, 8, 5, 320, tenMs)).isEmpty();
        Sent afterGap = feed(t, 8, 6, 400, tenMs).getFirst();
        assertThat(afterGap.timestamp() - first.timestamp()).as("starts at packet 5, 40 ms in").isEqualTo(320 * 6);
        assertThat(afterGap.sequence()).isEqualTo((first.sequence() + 1) & 0xFFFF);
        assertThat(feed(t, 8, 6, 400, tenMs)).as("a duplicate").isEmpty();
    }

    @Test
    void telephoneEventsJoinTheTranscodedStreamWithTheirClockTranslated() {
        PayloadFormat events8k = PayloadFormat.of(101, "telephone-event", 8000);
        PayloadFormat events48k = PayloadFormat.of(126, "telephone-event", 48000);
        PayloadRoute route = PayloadRoute.between(List.of(PCMU, events8k), List.of(OPUS, events48k));
        Transcoder audio = route.transcoder(0);
        Transcoder events = route.transcoder(101);
        assertThat(route.outputType(101)).isEqualTo(126);

        byte[] silence = new byte[160];
        Arrays.fill(silence, (byte) 0xFF);
        Sent a = feed(audio, 0, 50, 16000, silence).getFirst();
        // RFC 4733 §2.3: digit 5, end bit clear, volume 10, duration 800 (100 ms at 8 kHz); starts at 16160.
        Sent e = feed(events, 101, 51, 16160, new byte[] {5, 10, 0x03, 0x20}).getFirst();
        Sent b = feed(audio, 0, 52, 16160, silence).getFirst();

        assertThat(e.type()).isEqualTo(101); // rewritten to 126 by OutboundStream when sent
        assertThat(e.sequence()).isEqualTo((a.sequence() + 1) & 0xFFFF);
        assertThat(b.sequence()).isEqualTo((e.sequence() + 1) & 0xFFFF);
        assertThat(e.ssrc()).isEqualTo(a.ssrc());
        assertThat(e.timestamp()).as("the event starts with the audio it accompanies").isEqualTo(b.timestamp());
        assertThat(e.timestamp() - a.timestamp()).isEqualTo(960);
        assertThat(((e.payload()[2] & 0xFF) << 8) | (e.payload()[3] & 0xFF)).as("duration at 48 kHz").isEqualTo(4800);
        assertThat(e.payload()[0]).isEqualTo((byte) 5);
    }

    @Test
    void renumberingMapsTimestampsExactlyAcrossTheWrap() {
        Renumbering down = Renumbering.between(48000, 8000);
        int start = -960 * 3; // 2^32 - 2880: wraps after three packets
        down.source(1, 1, start);
        int first = down.timestamp(start);
        for (int i = 1; i < 10; i++) {
            assertThat(down.timestamp(start + i * 960) - first).isEqualTo(i * 160);
        }
        Renumbering up = Renumbering.between(8000, 48000);
        up.source(1, 1, -320);
        int base = up.timestamp(-320);
        assertThat(up.timestamp(-320 + 160 * 5) - base).isEqualTo(960 * 5);
        // Far from the anchor (hours of audio later) the mapping stays exact.
        int far = -320 + 160 * 4_000_000;
        assertThat(up.timestamp(far) - base).isEqualTo(960 * 4_000_000);
        assertThat(up.timestamp(far + 160) - base).isEqualTo(960 * 4_000_001);
    }
}
