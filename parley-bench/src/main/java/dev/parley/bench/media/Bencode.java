package dev.parley.bench.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencoding, the encoding of rtpengine's ng control protocol: strings {@code 4:spam}, integers {@code i42e}, lists
 * {@code l...e} and dictionaries {@code d...e} with keys in byte order. Strings decode as {@link String} (UTF-8:
 * the ng protocol carries SDP and names, all ASCII); integers as {@link Long}.
 */
final class Bencode {
    private Bencode() {
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        switch (value) {
            case String s -> writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
            case byte[] b -> writeBytes(out, b);
            case Integer i -> writeAscii(out, "i" + i + "e");
            case Long l -> writeAscii(out, "i" + l + "e");
            case List<?> list -> {
                out.write('l');
                list.forEach(item -> write(out, item));
                out.write('e');
            }
            case Map<?, ?> map -> {
                out.write('d');
                // keys sorted as raw strings (all keys here are ASCII, so String order is byte order)
                new TreeMap<>(map).forEach((k, v) -> {
                    write(out, (String) k);
                    write(out, v);
                });
                out.write('e');
            }
            default -> throw new IllegalArgumentException("cannot bencode " + value.getClass().getName());
        }
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeAscii(out, bytes.length + ":");
        out.writeBytes(bytes);
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Decodes one value that fills {@code bytes[offset, end)}; throws on malformed input (control plane only). */
    static Object decode(byte[] bytes, int offset, int end) {
        Reader reader = new Reader(bytes, offset, end);
        Object value = reader.value();
        if (reader.pos != end) {
            throw new IllegalArgumentException("trailing bytes after bencoded value at " + reader.pos);
        }
        return value;
    }

    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int pos;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        Object value() {
            if (pos >= end) {
                throw new IllegalArgumentException("bencode ends early");
            }
            byte c = b[pos];
            if (c == 'i') {
                pos++;
                return number('e');
            }
            if (c == 'l') {
                pos++;
                List<Object> list = new ArrayList<>();
                while (peek() != 'e') {
                    list.add(value());
                }
                pos++;
                return list;
            }
            if (c == 'd') {
                pos++;
                Map<String, Object> map = new LinkedHashMap<>();
                while (peek() != 'e') {
                    Object key = value();
                    if (!(key instanceof String k)) {
                        throw new IllegalArgumentException("dictionary key is not a string");
                    }
                    map.put(k, value());
                }
                pos++;
                return map;
            }
            if (c >= '0' && c <= '9') {
                long length = number(':');
                if (length > end - pos) {
                    throw new IllegalArgumentException("string of " + length + " bytes runs past the end");
                }
                String s = new String(b, pos, (int) length, StandardCharsets.UTF_8);
                pos += (int) length;
                return s;
            }
            throw new IllegalArgumentException("unexpected byte '" + (char) c + "' at " + pos);
        }

        private byte peek() {
            if (pos >= end) {
                throw new IllegalArgumentException("bencode ends early");
            }
            return b[pos];
        }

        private long number(char terminator) {
            int start = pos;
            while (peek() != terminator) {
                pos++;
            }
            long n = Long.parseLong(new String(b, start, pos - start, StandardCharsets.US_ASCII));
            pos++;
            return n;
        }
    }
}
