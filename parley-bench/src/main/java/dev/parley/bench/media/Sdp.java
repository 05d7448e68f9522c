package dev.parley.bench.media;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** The few SDP lines the benchmark writes and reads: one PCMU audio stream, optionally with one SDES key. */
final class Sdp {
    private Sdp() {
    }

    /** An offer or answer for one PCMU stream at {@code address}; {@code key == null} means RTP/AVP. */
    static String audio(long sessionId, InetSocketAddress address, SdesKey key, int cryptoTag) {
        String host = address.getAddress().getHostAddress();
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(sessionId).append(" 1 IN IP4 ").append(host).append("\r\n")
                .append("s=parley-bench\r\n")
                .append("c=IN IP4 ").append(host).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(address.getPort()).append(key == null ? " RTP/AVP 0" : " RTP/SAVP 0")
                .append("\r\n")
                .append("a=rtpmap:0 PCMU/8000\r\n")
                .append("a=sendrecv\r\n");
        if (key != null) {
            sdp.append("a=crypto:").append(cryptoTag).append(' ').append(SdesKey.SUITE).append(" inline:")
                    .append(key.inline()).append("\r\n");
        }
        return sdp.toString();
    }

    /** The media address of the first {@code m=audio} line (its {@code c=} or the session's). */
    static InetSocketAddress mediaAddress(String sdp) {
        String host = null;
        int port = -1;
        for (String line : lines(sdp)) {
            if (line.startsWith("c=IN IP4 ") && port < 0) {
                host = line.substring(9).trim();
            } else if (line.startsWith("c=IN IP4 ")) {
                host = line.substring(9).trim(); // media-level c= overrides
            } else if (line.startsWith("m=audio ") && port < 0) {
                port = Integer.parseInt(line.substring(8, line.indexOf(' ', 8)));
            }
        }
        if (host == null || port < 0) {
            throw new IllegalArgumentException("no audio address in SDP:\n" + sdp);
        }
        return new InetSocketAddress(host, port);
    }

    /** The {@code a=crypto} lines with suite {@link SdesKey#SUITE}, as (tag, key) in order. */
    static List<Crypto> cryptos(String sdp) {
        List<Crypto> found = new ArrayList<>();
        for (String line : lines(sdp)) {
            if (!line.startsWith("a=crypto:")) {
                continue;
            }
            String[] f = line.substring(9).trim().split(" ");
            if (f.length >= 3 && f[1].equals(SdesKey.SUITE)) {
                found.add(new Crypto(Integer.parseInt(f[0]), SdesKey.fromInline(f[2])));
            }
        }
        return found;
    }

    record Crypto(int tag, SdesKey key) {
    }

    private static String[] lines(String sdp) {
        return sdp.split("\r?\n");
    }
}
