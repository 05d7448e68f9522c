package dev.parley.media;

import java.nio.ByteBuffer;

/** Builds and reads RTP packets in tests, independently of the code under test. */
final class Packets {
    private Packets() {
    }

    static byte[] rtp(int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) payloadType).putShort((short) sequence).putInt((int) timestamp)
                .putInt((int) ssrc).put(payload);
        return b.array();
    }

    static int payloadType(byte[] b) {
        return b[1] & 0x7F;
    }

    static boolean marker(byte[] b) {
        return (b[1] & 0x80) != 0;
    }

    static int sequence(byte[] b) {
        return ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    static long timestamp(byte[] b) {
        return ByteBuffer.wrap(b, 4, 4).getInt() & 0xFFFFFFFFL;
    }

    static long ssrc(byte[] b) {
        return ByteBuffer.wrap(b, 8, 4).getInt() & 0xFFFFFFFFL;
    }

    static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).getInt() & 0xFFFFFFFFL;
    }

    static byte[] payload(byte[] b) {
        byte[] p = new byte[b.length - 12];
        System.arraycopy(b, 12, p, 0, p.length);
        return p;
    }

    static byte[] bytes(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed * 31 + i * 7);
        }
        return p;
    }
}
