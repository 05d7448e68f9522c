package dev.parley.server.it.sipp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.it.LoopbackCapture;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIP, SDP and RTP read off a loopback capture: which message went from which port to which, its audio line, the RTP
 * between two ports.
 */
final class SippWire {
    private static final Pattern AUDIO = Pattern.compile("(?m)^m=audio (\\d+) RTP/AVP ([0-9 ]+)\r?$");

    private SippWire() {
    }

    static String text(LoopbackCapture.Datagram d) {
        return new String(d.payload(), ISO_8859_1);
    }

    /** The body of a SIP message: what follows the blank line. */
    static String body(String message) {
        int split = message.indexOf("\r\n\r\n");
        return split < 0 ? "" : message.substring(split + 4);
    }

    /** The position of the first datagram from {@code from} to {@code to} whose text starts with {@code start}. */
    static int index(List<LoopbackCapture.Datagram> wire, int from, int to, String start) {
        for (int i = 0; i < wire.size(); i++) {
            LoopbackCapture.Datagram d = wire.get(i);
            if (d.sourcePort() == from && d.destinationPort() == to && text(d).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    /** The last SIP message with SDP from {@code from} to {@code to} that starts with {@code start}. */
    static String lastWithSdp(List<LoopbackCapture.Datagram> wire, int from, int to, String start) {
        String found = null;
        for (LoopbackCapture.Datagram d : wire) {
            String text = text(d);
            if (d.sourcePort() == from && d.destinationPort() == to && text.startsWith(start)
                    && text.contains("m=audio")) {
                found = text;
            }
        }
        assertThat(found).as("a %s with SDP from %d to %d on the wire", start.trim(), from, to).isNotNull();
        return found;
    }

    /** The port of the first {@code m=audio} line. */
    static int audioPort(String sdp) {
        return Integer.parseInt(audio(sdp).group(1));
    }

    /** The payload types of the first {@code m=audio} line, as written. */
    static String audioFormats(String sdp) {
        return audio(sdp).group(2).trim();
    }

    /** RTP version 2 datagrams (payload types below 72, so no RTCP) from one port to another, whole. */
    static List<byte[]> rtp(List<LoopbackCapture.Datagram> wire, int from, int to) {
        return wire.stream().filter(d -> d.sourcePort() == from && d.destinationPort() == to)
                .map(LoopbackCapture.Datagram::payload)
                .filter(p -> p.length >= 12 && (p[0] & 0xc0) == 0x80 && (p[1] & 0x7f) < 72).toList();
    }

    private static Matcher audio(String sdp) {
        Matcher m = AUDIO.matcher(sdp);
        assertThat(m.find()).as("an m=audio line in %s", sdp).isTrue();
        return m;
    }
}
