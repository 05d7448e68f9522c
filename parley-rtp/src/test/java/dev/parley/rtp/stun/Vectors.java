package dev.parley.rtp.stun;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** RFC 5769's sample messages from {@code src/test/resources/rfc5769/} (see the README there). */
public final class Vectors {
    public static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    private Vectors() {
    }

    public static byte[] request() {
        return load("request.hex");
    }

    public static byte[] responseIpv4() {
        return load("response-ipv4.hex");
    }

    public static byte[] responseIpv6() {
        return load("response-ipv6.hex");
    }

    public static byte[] requestLongTerm() {
        return load("request-long-term.hex");
    }

    public static byte[] load(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/rfc5769/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource rfc5769/" + name);
            }
            return hex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }
}
