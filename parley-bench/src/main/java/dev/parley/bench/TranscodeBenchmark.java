package dev.parley.bench;

import dev.parley.media.codec.G711;
import dev.parley.media.codec.OpusDecoding;
import dev.parley.media.codec.OpusEncoding;
import dev.parley.media.codec.OpusFormat;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU per 20 ms frame of what parley-media's transcoders do per packet (RTP handling aside, which is a few header
 * writes): Opus → PCMU (Concentus decode at 48 kHz, 205-tap decimation to 8 kHz, μ-law encode) and PCMU → Opus
 * (μ-law decode, Concentus encode at 8 kHz). The Opus input is what a softphone sends at the given bitrate
 * (Concentus at 48 kHz, VOIP), of a voice-like signal: a 150 Hz fundamental with harmonics to 3.5 kHz and a slow
 * amplitude wobble. One operation = one frame, so 20 ms / (ns/op) is the number of one-way streams a core carries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TranscodeBenchmark {
    private static final int FRAMES = 50;

    /** The bitrate the simulated softphone encodes at: SILK wideband at 16, hybrid fullband at 32 kb/s. */
    @Param({"16000", "32000"})
    public int peerBitrate;

    private byte[][] opusPackets;
    private byte[][] pcmuFrames;
    private OpusDecoding decoding;
    private OpusEncoding encoding;
    private final short[] pcm = new short[OpusDecoding.MAX_SAMPLES];
    private final byte[] out = new byte[OpusEncoding.MAX_PACKET];
    private int next;

    @Setup
    public void setUp() throws OpusException {
        short[] voice48 = voice(48000, FRAMES * 960);
        OpusEncoder peer = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        peer.setBitrate(peerBitrate);
        opusPackets = new byte[FRAMES][];
        byte[] packet = new byte[1275];
        for (int f = 0; f < FRAMES; f++) {
            int n = peer.encode(voice48, f * 960, 960, packet, 0, packet.length);
            opusPackets[f] = Arrays.copyOf(packet, n);
        }
        short[] voice8 = voice(8000, FRAMES * 160);
        pcmuFrames = new byte[FRAMES][160];
        for (int f = 0; f < FRAMES; f++) {
            G711.encode(true, voice8, f * 160, 160, pcmuFrames[f], 0);
        }
        decoding = new OpusDecoding();
        encoding = new OpusEncoding(OpusFormat.DEFAULT);
    }

    private static short[] voice(int rate, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            double t = (double) i / rate;
            double v = 0;
            for (int h = 1; h * 150 < 3500; h++) {
                v += Math.sin(2 * Math.PI * 150 * h * t) / h;
            }
            s[i] = (short) (6000 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)));
        }
        return s;
    }

    /** Opus → PCMU for one 20 ms packet. */
    @Benchmark
    public int opusToPcmu() {
        byte[] p = opusPackets[next++ % FRAMES];
        int n = decoding.decode(p, 0, p.length, pcm, 0);
        G711.encode(true, pcm, 0, n, out, 0);
        return n;
    }

    /** PCMU → Opus for one 20 ms frame. */
    @Benchmark
    public int pcmuToOpus() {
        byte[] frame = pcmuFrames[next++ % FRAMES];
        G711.decode(true, frame, 0, 160, pcm, 0);
        return encoding.encode(pcm, 0, out, 0);
    }
}
