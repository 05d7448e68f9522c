package dev.parley.rtp.srtp;

import java.util.HexFormat;

/** Hex fixtures: whitespace and line breaks are ignored so vectors can be laid out as the RFCs print them. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
