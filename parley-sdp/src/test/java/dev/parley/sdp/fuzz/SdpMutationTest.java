package dev.parley.sdp.fuzz;

import dev.parley.sdp.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A deterministic cousin of {@link SdpFuzzTest} that runs in every build without a fuzzing engine: each real-peer
 * body mutated 1 000 times (lines dropped, duplicated, swapped, truncated, bytes replaced by SDP-significant ones)
 * through {@link SdpChecks}, with fixed seeds so a failure repeats.
 */
class SdpMutationTest {

    private static final byte[] SIGNIFICANT = " :/=;|\r\n0\t\u0000".getBytes(StandardCharsets.ISO_8859_1);

    static List<String> peers() {
        return Fixtures.PEERS;
    }

    @ParameterizedTest
    @MethodSource("peers")
    void mutatedPeerBodiesKeepEveryInvariant(String name) {
        byte[] body = Fixtures.bytes(name);
        Random random = new Random(name.hashCode());
        for (int i = 0; i < 1_000; i++) {
            SdpChecks.check(mutate(body, random));
        }
    }

    private static byte[] mutate(byte[] body, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(
                new String(body, StandardCharsets.ISO_8859_1).split("\r\n", -1)));
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n && !lines.isEmpty(); k++) {
            int at = random.nextInt(lines.size());
            switch (random.nextInt(5)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(random.nextInt(lines.size() + 1), lines.get(at));
                case 2 -> {
                    int other = random.nextInt(lines.size());
                    String t = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, t);
                }
                case 3 -> lines.set(at, lines.get(at).substring(0, random.nextInt(lines.get(at).length() + 1)));
                default -> {
                    byte[] l = lines.get(at).getBytes(StandardCharsets.ISO_8859_1);
                    if (l.length > 0) {
                        l[random.nextInt(l.length)] = random.nextBoolean()
                                ? SIGNIFICANT[random.nextInt(SIGNIFICANT.length)] : (byte) random.nextInt(256);
                        lines.set(at, new String(l, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
