package dev.parley.media.codec;

import static dev.parley.media.codec.Audio.decibels;
import static dev.parley.media.codec.Audio.rms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpusDecodingTest {

    /** RFC 6716 §3.1 configuration (TOC bits 7..3) of a packet. */
    private static int configuration(byte[] packet) {
        return (packet[0] & 0xFF) >> 3;
    }

    @Test
    void concentusRendersHybridPacketsAsSilenceBelow48KilohertzWhichIsWhyOpusDecodingDecimatesItself()
            throws Exception {
        byte[][] packets = Audio.encode48k(Audio.peerEncoder(1, false), Audio.tone(48000, 1000, 0.3, 0, 0.6), 1);
        assertThat(configuration(packets[20])).as("hybrid, fullband, 20 ms").isEqualTo(15);
        OpusDecoder direct = new OpusDecoder(8000, 1);
        short[] pcm = new short[160 * packets.length];
        for (int i = 0; i < packets.length; i++) {
            direct.decode(packets[i], 0, packets[i].length, pcm, i * 160, 160, false);
        }
        // If this fails, Concentus was fixed: OpusDecoding could decode at 8 kHz directly and drop its Decimator.
        assertThat(rms(pcm, 1600, pcm.length)).isZero();
    }

    @ParameterizedTest(name = "{0} kb/s")
    @ValueSource(ints = {12, 32, 64})
    void decodesEveryModeAPeerSendsTo8KilohertzAtItsLevel(int kbps) {
        OpusEncoder encoder = Audio.peerEncoder(1, false);
        encoder.setBitrate(kbps * 1000);
        byte[][] packets = Audio.encode48k(encoder, Audio.tone(48000, 1000, 0.3, 0, 0.6), 1);
        OpusDecoding decoding = new OpusDecoding();
        short[] pcm = new short[160 * packets.length];
        for (int i = 0; i < packets.length; i++) {
            assertThat(OpusDecoding.samplesIn(packets[i], 0, packets[i].length)).isEqualTo(160);
            assertThat(decoding.decode(packets[i], 0, packets[i].length, pcm, i * 160)).isEqualTo(160);
        }
        double level = decibels(rms(pcm, 1600, pcm.length) / (0.3 * 32767 / Math.sqrt(2)));
        assertThat(level).as("config %d", configuration(packets[20])).isCloseTo(0, within(1.0));
        assertThat(Audio.dominant(pcm, 1600, pcm.length, 8000, 500, 1000, 2000, 3000)).isEqualTo(1000);
    }

    @Test
    void theDecimatorPassesTheTelephoneBandAndStopsWhatWouldFoldIntoIt() {
        assertThat(gain(1000)).as("1 kHz").isCloseTo(0, within(0.1));
        assertThat(gain(3400)).as("3.4 kHz").isCloseTo(0, within(0.2));
        assertThat(gain(4600)).as("4.6 kHz, folds to 3.4 kHz").isLessThan(-60);
        assertThat(gain(7000)).as("7 kHz, folds to 1 kHz").isLessThan(-60);
        assertThat(gain(10000)).as("10 kHz, folds to 2 kHz").isLessThan(-60);
        assertThat(gain(15000)).as("15 kHz, folds to 1 kHz").isLessThan(-60);
    }

    /** The decimator's gain in dB for a 48 kHz sine at {@code hz}, measured on its 8 kHz output in steady state. */
    private static double gain(double hz) {
        short[] in = Audio.tone(48000, hz, 0.5, 0, 0.5);
        Decimator decimator = new Decimator(960);
        short[] out = new short[in.length / 6];
        for (int f = 0; f + 960 <= in.length; f += 960) {
            decimator.process(in, f, 960, out, f / 6);
        }
        double outRms = Math.max(0.01, rms(out, 400, out.length));
        return decibels(outRms / rms(in, 2400, in.length));
    }
}
