package dev.parley.server.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks at captured RTP as an eavesdropper would, to tell plain RTP from SRTP without any key. Every check here
 * holds for SRTP and fails for plain G.711 carrying a tone (the tests prove both on real calls):
 *
 * <ul>
 *   <li><b>length</b>: a 20 ms G.711 frame is 160 bytes; SRTP appends an authentication tag (10 bytes for
 *       {@code _80}, 4 for {@code _32}, 16 for GCM), so no SRTP packet has a 160-byte payload;</li>
 *   <li><b>entropy</b>: ciphertext is uniformly random, ~8 bits per byte over a few thousand bytes; μ-law samples of
 *       a sine take few values (well under 7 bits per byte);</li>
 *   <li><b>tone</b>: the payload decoded as μ-law carries the sent tone in plain RTP, and noise when encrypted.</li>
 * </ul>
 */
public final class RtpWire {
    /** Bytes of a 20 ms G.711 frame at 8 kHz. */
    public static final int G711_FRAME = 160;

    private RtpWire() {
    }

    /** One RTP stream as seen on the wire: the packets from one source port to one destination port. */
    public record Stream(int sourcePort, int destinationPort, List<byte[]> payloads) {
        public int packets() {
            return payloads.size();
        }

        /** Packets whose payload is exactly one plain G.711 frame. */
        public long plainG711Frames() {
            return payloads.stream().filter(p -> p.length == G711_FRAME).count();
        }

        /** Shannon entropy in bits per byte of the first 160 payload bytes of every packet. */
        public double entropy() {
            long[] counts = new long[256];
            long total = 0;
            for (byte[] p : payloads) {
                for (int i = 0; i < Math.min(p.length, G711_FRAME); i++) {
                    counts[p[i] & 0xff]++;
                    total++;
                }
            }
            double h = 0;
            for (long c : counts) {
                if (c > 0) {
                    double q = (double) c / total;
                    h -= q * Math.log(q) / Math.log(2);
                }
            }
            return h;
        }

        /** The share of packets whose first 160 bytes, decoded as μ-law, are mostly a tone of {@code hertz}. */
        public double toneShare(double hertz) {
            if (payloads.isEmpty()) {
                return 0;
            }
            long toned = payloads.stream().filter(p -> p.length >= G711_FRAME && toneIn(p, hertz) >= 0.5).count();
            return (double) toned / payloads.size();
        }

        @Override
        public String toString() {
            return String.format("%d->%d: %d packets, %d of 160 bytes, entropy %.2f bits/byte", sourcePort,
                    destinationPort, packets(), plainG711Frames(), entropy());
        }
    }

    /** The RTP streams among {@code datagrams} (RTCP and anything that is not RTP version 2 left out). */
    public static List<Stream> streams(List<LoopbackCapture.Datagram> datagrams) {
        Map<Long, List<byte[]>> byFlow = new HashMap<>();
        for (LoopbackCapture.Datagram d : datagrams) {
            byte[] p = d.payload();
            if (p.length < 12 || (p[0] & 0xc0) != 0x80) {
                continue;
            }
            int pt = p[1] & 0x7f;
            if (pt >= 72 && pt <= 76) {
                continue; // RFC 5761 §4: RTCP packet types 200-204 with the marker bit
            }
            int header = 12 + 4 * (p[0] & 0x0f);
            if ((p[0] & 0x10) != 0 && p.length >= header + 4) {
                header += 4 + 4 * (((p[header + 2] & 0xff) << 8) | (p[header + 3] & 0xff)); // RFC 3550 §5.3.1
            }
            if (header > p.length) {
                continue;
            }
            byte[] payload = java.util.Arrays.copyOfRange(p, header, p.length);
            byFlow.computeIfAbsent(((long) d.sourcePort() << 16) | d.destinationPort(), k -> new ArrayList<>())
                    .add(payload);
        }
        List<Stream> out = new ArrayList<>();
        byFlow.forEach((k, v) -> out.add(new Stream((int) (k >>> 16), (int) (k & 0xffff), v)));
        out.sort((a, b) -> Integer.compare(b.packets(), a.packets()));
        return out;
    }

    /** The share of a frame's energy at {@code hertz} (Goertzel over 160 μ-law samples). */
    static double toneIn(byte[] payload, double hertz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hertz / 8000);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = 0; i < G711_FRAME; i++) {
            double x = ulaw(payload[i]);
            energy += x * x;
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        if (energy == 0) {
            return 0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return power / (G711_FRAME / 2.0 * energy);
    }

    /** ITU-T G.711 μ-law to linear. */
    static int ulaw(byte b) {
        int u = ~b & 0xff;
        int t = ((u & 0x0f) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }
}
