package dev.parley.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ITU-T G.711 values that do not depend on how the tables are built. */
class G711Test {

    @Test
    void decodesTheEndsAndTheMiddleOfBothLaws() {
        assertThat(G711.decodeUlaw(0xFF)).isZero();
        assertThat(G711.decodeUlaw(0x7F)).isZero();
        assertThat(G711.decodeUlaw(0x80)).isEqualTo(32124);
        assertThat(G711.decodeUlaw(0x00)).isEqualTo(-32124);
        assertThat(G711.decodeAlaw(0xD5)).isEqualTo(8);
        assertThat(G711.decodeAlaw(0x55)).isEqualTo(-8);
        assertThat(G711.decodeAlaw(0xAA)).isEqualTo(32256);
        assertThat(G711.decodeAlaw(0x2A)).isEqualTo(-32256);
    }

    @Test
    void encodingADecodedCodeGivesTheCodeBack() {
        for (int code = 0; code < 256; code++) {
            if (code != 0x7F) {
                assertThat(G711.encodeUlaw(G711.decodeUlaw(code))).as("μ-law %02x", code).isEqualTo(code);
            }
            assertThat(G711.encodeAlaw(G711.decodeAlaw(code))).as("A-law %02x", code).isEqualTo(code);
        }
    }

    @Test
    void silenceStaysSilenceAndFullScaleStaysFullScale() {
        byte[] b = {(byte) 0xFF, 0x7F, (byte) 0x80, 0x00};
        G711.ulawToAlaw(b, 0, 4);
        assertThat(b).containsExactly((byte) 0xD5, (byte) 0x55, (byte) 0xAA, (byte) 0x2A);
        // A-law has no zero: its smallest levels are ±8, which μ-law holds exactly (codes FE and 7E).
        G711.alawToUlaw(b, 0, 4);
        assertThat(b).containsExactly((byte) 0xFE, (byte) 0x7E, (byte) 0x80, (byte) 0x00);
    }

    @Test
    void conversionIsMonotonicAndSymmetric() {
        int previous = Integer.MIN_VALUE;
        // μ-law codes 0x00..0x7F run from -full scale to -0; 0xFF..0x80 from +0 to +full scale.
        for (int i = 0; i < 256; i++) {
            int code = i < 128 ? i : 0x80 + (0xFF - i);
            int level = G711.decodeAlaw(convert(code));
            assertThat(level).as("μ-law %02x", code).isGreaterThanOrEqualTo(previous);
            previous = level;
            assertThat(G711.decodeAlaw(convert(code ^ 0x80))).isEqualTo(-level);
        }
    }

    @Test
    void aSineSurvivesMuToAToMuWithHighSignalToNoise() {
        double signal = 0;
        double noise = 0;
        for (int n = 0; n < 8000; n++) {
            int pcm = (int) (12000 * Math.sin(2 * Math.PI * 1004 * n / 8000.0));
            int mu = G711.encodeUlaw(pcm);
            byte[] b = {(byte) mu};
            G711.ulawToAlaw(b, 0, 1);
            G711.alawToUlaw(b, 0, 1);
            double reference = G711.decodeUlaw(mu);
            double converted = G711.decodeUlaw(b[0] & 0xFF);
            signal += reference * reference;
            noise += (converted - reference) * (converted - reference);
        }
        assertThat(10 * Math.log10(signal / noise)).as("SNR in dB").isGreaterThan(35);
    }

    private static int convert(int ulaw) {
        byte[] b = {(byte) ulaw};
        G711.ulawToAlaw(b, 0, 1);
        return b[0] & 0xFF;
    }
}
