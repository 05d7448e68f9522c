package dev.parley.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sdp.attribute.Attribute;
import dev.parley.sdp.attribute.Candidate;
import dev.parley.sdp.attribute.Crypto;
import dev.parley.sdp.attribute.CryptoSuite;
import dev.parley.sdp.attribute.Extmap;
import dev.parley.sdp.attribute.Fingerprint;
import dev.parley.sdp.attribute.Fmtp;
import dev.parley.sdp.attribute.Group;
import dev.parley.sdp.attribute.MediaDirection;
import dev.parley.sdp.attribute.Msid;
import dev.parley.sdp.attribute.Rtcp;
import dev.parley.sdp.attribute.RtcpFeedback;
import dev.parley.sdp.attribute.RtpMap;
import dev.parley.sdp.attribute.Ssrc;
import dev.parley.sdp.attribute.SsrcGroup;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Round trip on generated descriptions: 3 000 random, valid session descriptions built through the model (every
 * typed attribute, random order, multi-line sections) serialize to text that parses back to an equal description
 * and serializes to the same text again.
 */
class GeneratedRoundTripTest {

    private final Random random = new Random(4317);

    private String token() {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
        int n = 1 + random.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private String address() {
        return random.nextBoolean() ? "192.0.2." + random.nextInt(256) : "2001:db8::" + random.nextInt(0xffff);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Attribute attribute() {
        List<Supplier<Attribute>> kinds = List.of(
                () -> RtpMap.of(random.nextInt(128), token().replace("/", ""), 1 + random.nextInt(96_000),
                        1 + random.nextInt(2)).toAttribute(),
                () -> new Fmtp(Integer.toString(random.nextInt(128)), "a=" + token() + ";b=1").toAttribute(),
                () -> {
                    CryptoSuite suite = CryptoSuite.values()[random.nextInt(CryptoSuite.values().length)];
                    return Crypto.inline(1 + random.nextInt(9), suite, bytes(suite.keySaltLength())).toAttribute();
                },
                () -> Attribute.property(MediaDirection.values()[random.nextInt(4)].attributeName()),
                () -> (random.nextBoolean() ? Rtcp.port(random.nextInt(65_536))
                        : Rtcp.of(random.nextInt(65_536), address())).toAttribute(),
                () -> Attribute.property("rtcp-mux"),
                () -> new RtcpFeedback(random.nextBoolean() ? "*" : "96", "nack pli").toAttribute(),
                () -> new Fingerprint("sha-256", "AB:CD:EF:01").toAttribute(),
                () -> Attribute.of("setup", "actpass"),
                () -> Attribute.of("ice-ufrag", token()),
                () -> Attribute.of("ice-pwd", token() + token()),
                () -> new Candidate(token(), 1, "udp", random.nextInt(Integer.MAX_VALUE), address(),
                        random.nextInt(65_536), "host", null, -1,
                        List.of(new Candidate.Extension("generation", "0"))).toAttribute(),
                () -> Attribute.property("end-of-candidates"),
                () -> Attribute.of("mid", token()),
                () -> new Group("BUNDLE", List.of(token(), token())).toAttribute(),
                () -> new Ssrc(random.nextInt(Integer.MAX_VALUE), "cname", token()).toAttribute(),
                () -> new SsrcGroup("FID", List.of(1L, 4_294_967_295L)).toAttribute(),
                () -> new Msid(token(), token()).toAttribute(),
                () -> new Extmap(1 + random.nextInt(14), random.nextBoolean() ? "sendonly" : null,
                        "urn:ietf:params:rtp-hdrext:" + token(), null).toAttribute(),
                () -> Attribute.of("x-" + token(), "free text: " + token() + " \u00e9"),
                () -> Attribute.of("ptime", Integer.toString(10 + random.nextInt(50))));
        return kinds.get(random.nextInt(kinds.size())).get();
    }

    private SessionDescription generate() {
        SessionDescription.Builder b = SessionDescription.builder(Origin.of(token(), random.nextLong(),
                random.nextInt(Integer.MAX_VALUE), address())).sessionName(random.nextBoolean() ? "-" : " ");
        if (random.nextBoolean()) {
            b.connection(Connection.of(address()));
        }
        if (random.nextInt(4) == 0) {
            b.bandwidth(new Bandwidth("AS", random.nextInt(10_000))).information(token());
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            b.attribute(attribute());
        }
        for (int m = random.nextInt(4); m > 0; m--) {
            int port = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(65_535);
            MediaDescription.Builder mb = MediaDescription.builder(random.nextBoolean() ? "audio" : "video", port,
                    random.nextBoolean() ? "RTP/AVP" : "UDP/TLS/RTP/SAVPF");
            for (int f = 1 + random.nextInt(5); f > 0; f--) {
                mb.format(Integer.toString(random.nextInt(128)));
            }
            if (random.nextBoolean()) {
                mb.connection(Connection.of(address()));
            }
            for (int a = random.nextInt(12); a > 0; a--) {
                mb.attribute(attribute());
            }
            b.media(mb.build());
        }
        return b.build();
    }

    @Test
    void generatedDescriptionsSurviveSerializeAndParse() {
        for (int i = 0; i < 3_000; i++) {
            SessionDescription sdp = generate();
            String text = sdp.toSdp();
            SdpParseResult parsed = SdpParser.parse(text);

            assertThat(parsed).as(sdp.toString()).isInstanceOf(SdpParseResult.Parsed.class);
            assertThat(parsed.orElseThrow()).isEqualTo(sdp);
            assertThat(parsed.orElseThrow().toSdp()).isEqualTo(text);
        }
    }
}
