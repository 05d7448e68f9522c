package dev.parley.rtp.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtp.PacketBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Framing rules of {@link StunMessage#wrap} (RFC 8489 §5, §14) and malformed input as values, never exceptions. */
class StunMessageTest {
    private static final byte[] TX = Vectors.hex("0102030405060708090a0b0c");
    private final StunMessage m = new StunMessage();

    @Test
    void everyTruncationOfAVectorIsRefusedWithoutReadingPastIt() {
        for (byte[] vector : vectors()) {
            for (int n = 0; n < vector.length; n++) {
                // The view gets the whole array but is told the datagram is shorter: it must believe the length.
                assertThat(m.wrap(vector, 0, n)).as("%d of %d octets", n, vector.length).isNotEqualTo(StunStatus.OK);
                byte[] exact = Arrays.copyOf(vector, n);
                assertThat(m.wrap(exact, 0, n)).isNotEqualTo(StunStatus.OK);
            }
        }
    }

    @Test
    void headerChecks() {
        byte[] request = Vectors.request();
        assertThat(m.wrap(new byte[19], 0, 19)).isEqualTo(StunStatus.TOO_SHORT);
        byte[] rtp = request.clone();
        rtp[0] = (byte) 0x80;
        assertThat(m.wrap(rtp, 0, rtp.length)).isEqualTo(StunStatus.NOT_STUN);
        byte[] classic = request.clone();
        classic[4] = 0; // RFC 3489 had no magic cookie
        assertThat(m.wrap(classic, 0, classic.length)).isEqualTo(StunStatus.NOT_STUN);
        byte[] odd = request.clone();
        odd[3] = 0x57;
        assertThat(m.wrap(odd, 0, odd.length)).isEqualTo(StunStatus.BAD_LENGTH);
        byte[] trailing = Arrays.copyOf(request, request.length + 4);
        assertThat(m.wrap(trailing, 0, trailing.length)).isEqualTo(StunStatus.BAD_LENGTH);
        assertThat(m.type()).isEqualTo(-1);
        assertThat(m.toString()).isEqualTo("StunMessage[invalid]");
    }

    @Test
    void aMessageInsideALargerArrayIsReadAtItsOffset() {
        byte[] request = Vectors.request();
        byte[] padded = new byte[request.length + 10];
        System.arraycopy(request, 0, padded, 7, request.length);
        assertThat(m.wrap(padded, 7, request.length)).isEqualTo(StunStatus.OK);
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(StunKey.shortTerm(Vectors.PASSWORD).verify(m).ok()).isTrue();
    }

    @Test
    void knownAttributesWithImpossibleSizesAreMalformed() {
        int[][] cases = {
            {StunAttribute.PRIORITY, 8}, {StunAttribute.USE_CANDIDATE, 4}, {StunAttribute.ICE_CONTROLLING, 4},
            {StunAttribute.ICE_CONTROLLED, 12}, {StunAttribute.MESSAGE_INTEGRITY, 16},
            {StunAttribute.MESSAGE_INTEGRITY_SHA256, 12}, {StunAttribute.MESSAGE_INTEGRITY_SHA256, 36},
            {StunAttribute.FINGERPRINT, 8}, {StunAttribute.ERROR_CODE, 0}, {StunAttribute.USERNAME, 516},
            {StunAttribute.XOR_MAPPED_ADDRESS, 12}, {StunAttribute.MAPPED_ADDRESS, 0},
        };
        for (int[] c : cases) {
            byte[] bytes = message(c[0], new byte[c[1]]);
            assertThat(m.wrap(bytes, 0, bytes.length)).as("type 0x%04x length %d", c[0], c[1])
                    .isIn(StunStatus.MALFORMED_ATTRIBUTE, StunStatus.BAD_FINGERPRINT);
        }
    }

    @Test
    void anAttributeRunningPastTheMessageIsMalformed() {
        byte[] bytes = message(StunAttribute.SOFTWARE, new byte[8]);
        bytes[22] = 0;
        bytes[23] = 9; // claims 9 (padded 12) octets where 8 remain
        assertThat(m.wrap(bytes, 0, bytes.length)).isEqualTo(StunStatus.MALFORMED_ATTRIBUTE);
        byte[] header = Arrays.copyOf(message(StunAttribute.SOFTWARE, new byte[0]), 24);
        header[23] = 4; // an attribute header promising 4 octets, and nothing after it
        assertThat(m.wrap(header, 0, header.length)).isEqualTo(StunStatus.MALFORMED_ATTRIBUTE);
    }

    @Test
    void errorCodeClassAndNumberAreChecked() {
        byte[] bad = message(StunAttribute.ERROR_CODE, new byte[] {0, 0, 7, 1});
        assertThat(m.wrap(bad, 0, bad.length)).isEqualTo(StunStatus.MALFORMED_ATTRIBUTE);
        byte[] good = message(StunAttribute.ERROR_CODE, new byte[] {0, 0, 4, 87, 'R', 'o', 'l', 'e'});
        assertThat(m.wrap(good, 0, good.length)).isEqualTo(StunStatus.OK);
        assertThat(m.errorCode()).isEqualTo(487);
        assertThat(m.errorReason()).isEqualTo("Role");
    }

    @Test
    void nothingMayFollowFingerprint() {
        byte[] out = new byte[100];
        int n = new StunWriter().begin(out, 0, 100, 1, TX, 0).fingerprint().priority(1).finish();
        assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.BAD_FINGERPRINT);
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnoredExceptSha256AndFingerprint() {
        StunKey key = StunKey.shortTerm("a-password-of-22-chars");
        byte[] out = new byte[200];
        int n = new StunWriter().begin(out, 0, 200, 1, TX, 0)
                .text(StunAttribute.USERNAME, "abcd:efgh")
                .messageIntegrity(key)
                .priority(77)
                .useCandidate()
                .messageIntegritySha256(key)
                .fingerprint()
                .finish();
        assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.OK);
        assertThat(m.hasPriority()).isFalse();
        assertThat(m.hasUseCandidate()).isFalse();
        assertThat(m.hasMessageIntegritySha256()).isTrue();
        assertThat(key.verify(m)).isEqualTo(StunKey.IntegrityCheck.OK_SHA256);
    }

    @Test
    void sha256IsPreferredAndChecked() {
        StunKey key = StunKey.shortTerm("a-password-of-22-chars");
        byte[] out = new byte[200];
        int n = new StunWriter().begin(out, 0, 200, 1, TX, 0)
                .text(StunAttribute.USERNAME, "abcd:efgh")
                .messageIntegritySha256(key)
                .fingerprint()
                .finish();
        assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.OK);
        assertThat(m.hasMessageIntegrity()).isFalse();
        assertThat(key.verify(m)).isEqualTo(StunKey.IntegrityCheck.OK_SHA256);
        assertThat(StunKey.shortTerm("another-password-22-ch").verify(m)).isEqualTo(StunKey.IntegrityCheck.MISMATCH);
        byte[] none = message(StunAttribute.USERNAME, new byte[4]);
        m.wrap(none, 0, none.length);
        assertThat(key.verify(m)).isEqualTo(StunKey.IntegrityCheck.MISSING);
    }

    @Test
    void theFirstOfDuplicateAttributesCounts() {
        byte[] out = new byte[200];
        int n = new StunWriter().begin(out, 0, 200, 1, TX, 0).priority(1).priority(2).finish();
        assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.OK);
        assertThat(m.priority()).isEqualTo(1);
    }

    @Test
    void unknownComprehensionRequiredTypesAreKeptForA420() {
        byte[] out = new byte[300];
        StunWriter w = new StunWriter().begin(out, 0, 300, 1, TX, 0);
        for (int t = 0x7F00; t < 0x7F0A; t++) {
            w.attribute(t, new byte[1], 0, 1);
        }
        w.attribute(0xC057, new byte[4], 0, 4); // comprehension-optional (Chrome's GOOG-NETWORK-INFO): ignored
        int n = w.finish();
        assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.OK);
        assertThat(m.unknownRequiredCount()).isEqualTo(StunMessage.MAX_UNKNOWN);
        assertThat(m.unknownRequired(0)).isEqualTo(0x7F00);
        assertThatThrownBy(() -> m.unknownRequired(StunMessage.MAX_UNKNOWN)).isInstanceOf(IndexOutOfBoundsException.class);

        byte[] answer = new byte[100];
        int a = new StunWriter().begin(answer, 0, 100, StunClass.ERROR_RESPONSE.type(1), TX, 0)
                .errorCode(420, "Unknown Attribute").unknownAttributes(m).finish();
        StunMessage r = new StunMessage();
        assertThat(r.wrap(answer, 0, a)).isEqualTo(StunStatus.OK);
        assertThat(r.errorCode()).isEqualTo(420);
    }

    @Test
    void messageTypeEncodingRoundTrips() {
        for (StunClass c : StunClass.values()) {
            for (int method : new int[] {0x001, 0x003, 0x00A, 0xFFF}) {
                int type = c.type(method);
                byte[] out = new byte[20];
                new StunWriter().begin(out, 0, 20, type, TX, 0);
                assertThat(m.wrap(out, 0, 20)).isEqualTo(StunStatus.OK);
                assertThat(m.messageClass()).isEqualTo(c);
                assertThat(m.method()).isEqualTo(method);
            }
        }
        assertThat(StunClass.SUCCESS_RESPONSE.type(StunMessage.BINDING)).isEqualTo(0x0101);
        assertThat(StunClass.ERROR_RESPONSE.type(StunMessage.BINDING)).isEqualTo(0x0111);
        assertThat(StunClass.INDICATION.type(StunMessage.BINDING)).isEqualTo(0x0011);
    }

    @Test
    void theWriterRefusesToOverrunAndSaysSo() {
        byte[] out = new byte[40];
        StunWriter w = new StunWriter().begin(out, 0, 40, 1, TX, 0)
                .xorMappedAddress(TransportAddress.ipv4(10, 0, 0, 1, 5000)) // 32 octets so far
                .xorMappedAddress(TransportAddress.ipv4(10, 0, 0, 2, 5000)) // would be 44
                .fingerprint();
        assertThat(w.finish()).isEqualTo(-1);
        PacketBuffer tiny = new PacketBuffer(10);
        byte[] request = Vectors.request();
        m.wrap(request, 0, request.length);
        assertThat(new StunWriter().beginResponse(tiny, m, StunClass.SUCCESS_RESPONSE).finish(tiny)).isFalse();
        assertThatThrownBy(() -> new StunWriter().begin(out, 0, 40, 1, TX, 0).errorCode(200, "OK"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesRoundTripThroughXorAndPlainForms() {
        TransportAddress v6 = TransportAddress.of(Vectors.hex("fe80000000000000020c29fffe3a4b5c"), 65535);
        TransportAddress v4 = TransportAddress.ipv4(255, 0, 127, 1, 0);
        byte[] out = new byte[100];
        int n = new StunWriter().begin(out, 0, 100, 0x0101, TX, 0).xorMappedAddress(v6).mappedAddress(v4).finish();
        assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.OK);
        assertThat(m.xorMappedAddress()).isEqualTo(v6);
        assertThat(m.mappedAddress()).isEqualTo(v4);
        assertThat(v6.family()).isEqualTo(TransportAddress.FAMILY_IPV6);
        assertThatThrownBy(() -> TransportAddress.of(new byte[5], 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportAddress.ipv4(1, 2, 3, 4, 65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hmacMatchesTheJdksMacForEveryKeyLength() throws Exception {
        SplittableRandom random = new SplittableRandom(2104);
        for (int keyLength : new int[] {0, 1, 22, 63, 64, 65, 200}) {
            StringBuilder password = new StringBuilder();
            for (int i = 0; i < keyLength; i++) {
                password.append((char) ('!' + random.nextInt(90)));
            }
            StunKey key = StunKey.shortTerm(password.toString());
            byte[] keyOctets = password.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (String algorithm : new String[] {"HmacSHA1", "HmacSHA256"}) {
                byte[] out = new byte[200];
                StunWriter w = new StunWriter().begin(out, 0, 200, 1, TX, 0).text(StunAttribute.USERNAME, "a:b");
                int at = 28; // header 20 + USERNAME "a:b" (4 + 3, padded to 8)
                int n = (algorithm.equals("HmacSHA1") ? w.messageIntegrity(key) : w.messageIntegritySha256(key)).finish();
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance(algorithm);
                mac.init(new javax.crypto.spec.SecretKeySpec(keyLength == 0 ? new byte[1] : keyOctets, algorithm));
                byte[] expected = mac.doFinal(Arrays.copyOf(out, at));
                assertThat(Arrays.copyOfRange(out, at + 4, n)).as("%s, %d-octet key", algorithm, keyLength)
                        .isEqualTo(expected);
                assertThat(m.wrap(out, 0, n)).isEqualTo(StunStatus.OK);
                assertThat(key.verify(m).ok()).isTrue();
            }
        }
    }

    @Test
    void keysNeverPrintTheirOctets() {
        assertThat(StunKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBt").toString()).doesNotContain("VOkJ").contains("redacted");
    }

    /**
     * Random mutations of the RFC 5769 vectors (bit flips, octet changes, insertions, deletions, truncations,
     * length-field rewrites): wrap never throws, and whatever it accepts can be read in full and verified. The
     * datagram sits inside a larger array, so a read past its end would not throw but show up as a wrong answer in
     * the truncation test above.
     */
    @Test
    void fuzzedMutationsOfTheVectorsNeverThrow() {
        SplittableRandom random = new SplittableRandom(5769);
        StunKey key = StunKey.shortTerm(Vectors.PASSWORD);
        byte[][] seeds = vectors();
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] datagram = mutate(seeds[random.nextInt(seeds.length)], random);
            byte[] framed = new byte[datagram.length + 64];
            System.arraycopy(datagram, 0, framed, 32, datagram.length);
            StunStatus status = m.wrap(framed, 32, datagram.length);
            if (status == StunStatus.OK) {
                accepted++;
                readEverything(m, key);
            }
            new StunMessage().wrap(datagram, 0, datagram.length);
        }
        assertThat(accepted).as("some mutants stay well-formed, so the accessors are exercised").isPositive();
    }

    static void readEverything(StunMessage m, StunKey key) {
        m.messageClass();
        m.method();
        m.transactionId();
        m.username();
        m.software();
        m.realm();
        m.nonce();
        m.priority();
        m.iceControlled();
        m.iceControlling();
        m.errorCode();
        m.errorReason();
        m.xorMappedAddress();
        m.mappedAddress();
        for (int u = 0; u < m.unknownRequiredCount(); u++) {
            m.unknownRequired(u);
        }
        key.verify(m);
        m.toString();
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (b.length > 0) {
                        int p = random.nextInt(b.length);
                        b[p] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 3 -> {
                    int p = random.nextInt(b.length + 1);
                    int n = 1 + random.nextInt(8);
                    byte[] c = new byte[b.length + n];
                    System.arraycopy(b, 0, c, 0, p);
                    System.arraycopy(b, p, c, p + n, b.length - p);
                    b = c;
                }
                case 4 -> {
                    // Attribute length fields sit at 4-aligned offsets + 2: rewrite one to anything.
                    if (b.length >= 24) {
                        int p = 20 + 4 * random.nextInt((b.length - 20) / 4) + 2;
                        if (p + 1 < b.length) {
                            b[p] = (byte) random.nextInt(256);
                            b[p + 1] = (byte) random.nextInt(256);
                        }
                    }
                }
                default -> {
                    // Keep the header's length consistent so mutants get past framing into the attributes.
                    if (b.length >= 20) {
                        int body = b.length - 20;
                        b[2] = (byte) (body >>> 8);
                        b[3] = (byte) body;
                    }
                }
            }
        }
        return b;
    }

    static byte[][] vectors() {
        return new byte[][] {Vectors.request(), Vectors.responseIpv4(), Vectors.responseIpv6(), Vectors.requestLongTerm()};
    }

    /** A Binding request with one attribute of the given value (no integrity, no fingerprint). */
    private static byte[] message(int type, byte[] value) {
        byte[] out = new byte[20 + 4 + (value.length + 3 & ~3)];
        int n = new StunWriter().begin(out, 0, out.length, 1, TX, 0).attribute(type, value, 0, value.length).finish();
        assertThat(n).isEqualTo(out.length);
        return out;
    }
}
