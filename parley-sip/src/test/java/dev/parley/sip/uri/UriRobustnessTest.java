package dev.parley.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.sip.text.SipSyntaxException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever the input, parsing either gives a URI or throws {@link SipSyntaxException}; and whatever it gives
 * serializes to text that parses back to an equal, equivalent URI.
 */
class UriRobustnessTest {
    private static final String[] SEEDS = {
        "sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent",
        "sips:bob@[2001:db8::10]:5070;maddr=[::1];ttl=1",
        "sip:user@[2001:db8:::192.0.2.1]",
        "sip:[::ffff:192.0.2.2]",
        "sip:sips%3Auser%40example.com@example.net",
        "sip:user;par=u%40example.net@example.com",
        "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
        "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
        "sip:null-%00-null@192.0.2.1",
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
        "tel:+1-201-555-0123;ext=1234;isub=1411;foo=b%41r",
        "tel:*1A#;phone-context=example.com",
        "tel:863-1234;phone-context=+1-914-555",
        "soap.beep://192.0.2.103:3002",
        "nobodyKnowsThisScheme:totallyopaquecontent",
        "http://[2001:db8::1]/a?b=c",
        "urn:service:sos",
    };

    /** Characters that matter to the grammars, plus a few that never may appear. */
    private static final String ALPHABET =
            "sipte:l@;=?&%[].:-+0123456789abcdefABCDEFxyz/()#*$,!~'_ \t\r\n\"<>\\\u0000é😀";

    @Test
    void onlySyntaxExceptionsEscapeFromFiftyThousandMutatedInputs() {
        Random random = new Random(0x5EED_0001L);
        int parsed = 0;
        for (int n = 0; n < 50_000; n++) {
            String input = n % 10 == 0 ? randomText(random) : mutate(SEEDS[random.nextInt(SEEDS.length)], random);
            if (check(input)) {
                parsed++;
            }
        }
        // the mutations keep a good share parseable, so the round-trip checks do run
        assertThat(parsed).isGreaterThan(5_000);
    }

    @Test
    void hugeAndDegenerateInputs() {
        String[] inputs = {
            "", ":", "s", "sip", "sip:", "sip:@", "sip:[", "sip:]", "sip:[[[[", "[", "tel:+", "a:", "%", "sip:%",
            "sip:" + "a".repeat(1_000_000) + ".example",
            "sip:" + "a".repeat(1_000_000),
            "sip:h.example:" + "9".repeat(100_000),
            "sip:h.example;" + "x=y;".repeat(50_000) + "z",
            "sip:[" + "1:".repeat(100_000) + "]",
            "sip:[" + ":".repeat(100_000) + "]",
            "sip:" + "@".repeat(10_000),
            "sip:" + "%".repeat(10_000) + "@x.example",
            "tel:+" + "1".repeat(1_000_000),
            "x".repeat(100_000) + ":y",
            "sip:a@b.example?" + "h=v&".repeat(10_000) + "h=v",
            "sip:" + "\uD800" + "@x.example",
        };
        for (String input : inputs) {
            check(input);
        }
    }

    @Test
    void everyPrefixAndEverySuffixOfTheSeeds() {
        for (String seed : SEEDS) {
            for (int i = 0; i <= seed.length(); i++) {
                check(seed.substring(0, i));
                check(seed.substring(i));
            }
        }
    }

    @Test
    void subRangesOfAnyCharSequence() {
        Random random = new Random(7);
        for (int n = 0; n < 5_000; n++) {
            String seed = SEEDS[random.nextInt(SEEDS.length)];
            StringBuilder text = new StringBuilder("<<").append(seed).append(">>");
            int start = random.nextInt(text.length() + 1);
            int end = start + random.nextInt(text.length() - start + 1);
            try {
                Uri uri = UriParser.parse(text, start, end);
                assertThat(uri.toString()).isNotEmpty();
            } catch (SipSyntaxException expected) {
                // fine
            }
        }
        assertThatThrownBy(() -> UriParser.parse("sip:a.example", 3, 99)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Parses, and when it parses, exercises every accessor and the round trip. Returns whether it parsed. */
    private static boolean check(String input) {
        Uri uri;
        try {
            uri = Uri.parse(input);
        } catch (SipSyntaxException expected) {
            assertThat(expected.getMessage()).isNotNull();
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("unexpected " + e + " for input \"" + printable(input) + '"', e);
        }
        try {
            exercise(uri);
            Uri again = Uri.parse(uri.toString());
            if (!again.equals(uri) || again.hashCode() != uri.hashCode() || !again.equivalentTo(uri)
                    || !uri.equivalentTo(again)) {
                fail("round trip changed \"" + printable(input) + "\" into \"" + printable(again.toString()) + '"');
            }
        } catch (RuntimeException | Error e) {
            throw new AssertionError("failed on parsed input \"" + printable(input) + '"', e);
        }
        return true;
    }

    private static void exercise(Uri uri) {
        switch (uri) {
            case SipUri sip -> {
                sip.user();
                sip.password();
                sip.transport();
                sip.maddr();
                sip.method();
                sip.userParam();
                sip.lr();
                sip.host().canonical();
                sip.host().hashCode();
                Host.parse(sip.host().text());
            }
            case TelUri tel -> {
                tel.normalizedNumber();
                tel.phoneContext();
                tel.extension();
                tel.isdnSubaddress();
            }
            case AbsoluteUri abs -> abs.schemeSpecificPart();
        }
    }

    private static String mutate(String seed, Random random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = sb.isEmpty() ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(7)) {
                case 0 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> {
                    if (!sb.isEmpty()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (!sb.isEmpty()) {
                        sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
                case 3 -> {
                    int end = Math.min(sb.length(), at + random.nextInt(12));
                    sb.insert(at, sb.substring(at, end));
                }
                case 4 -> sb.setLength(at);
                case 5 -> sb.insert(at, "%" + Integer.toHexString(random.nextInt(256)));
                default -> sb.insert(at, switch (random.nextInt(6)) {
                    case 0 -> ":::";
                    case 1 -> "[::1]";
                    case 2 -> ":" + random.nextInt(Integer.MAX_VALUE);
                    case 3 -> ";lr";
                    case 4 -> "@";
                    default -> "192.0.2." + random.nextInt(300);
                });
            }
        }
        return sb.toString();
    }

    private static String randomText(Random random) {
        int length = random.nextInt(40);
        StringBuilder sb = new StringBuilder(random.nextBoolean() ? "sip:" : "");
        for (int i = 0; i < length; i++) {
            sb.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x10000)
                    : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 200); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return s.length() > 200 ? out.append("...").toString() : out.toString();
    }
}
