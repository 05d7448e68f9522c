package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Header names: case-insensitive (RFC 3261 §7.3.1) with compact forms (RFC 3261 §7.3.3 and extensions). */
class HeaderNameTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "i, Call-ID",
        "m, Contact",
        "e, Content-Encoding",
        "l, Content-Length",
        "c, Content-Type",
        "f, From",
        "s, Subject",
        "k, Supported",
        "t, To",
        "v, Via",
        "o, Event",              // RFC 6665 §8.2.1
        "r, Refer-To",           // RFC 3515 §2.1
        "b, Referred-By",        // RFC 3892 §3
        "x, Session-Expires",    // RFC 4028 §4
        "u, Allow-Events",       // RFC 6665 §8.2.2
        "a, Accept-Contact",     // RFC 3841 §9.2
        "j, Reject-Contact",     // RFC 3841 §9.2
        "d, Request-Disposition", // RFC 3841 §9.1
        "y, Identity",           // RFC 8224 §4
    })
    void rfc3261_7_3_3_compactFormIsTheLongHeader(String compact, String longName) {
        HeaderName fromCompact = HeaderName.of(compact);
        HeaderName fromUpper = HeaderName.of(compact.toUpperCase());
        HeaderName fromLong = HeaderName.of(longName);
        assertThat(fromCompact.name()).isEqualTo(longName);
        assertThat(fromCompact).isSameAs(fromLong).isSameAs(fromUpper);
        assertThat(fromCompact.isKnown()).isTrue();
        assertThat(fromCompact.compactForm()).isEqualTo(compact.charAt(0));
        byte[] bytes = ("  " + compact + ":").getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderName.lookup(bytes, 2, 1)).isSameAs(fromLong);
    }

    @ParameterizedTest
    @CsvSource({"via", "VIA", "vIa", "call-id", "CALL-ID", "www-authenticate", "cseq", "CSEQ", "rack", "content-LENGTH"})
    void rfc3261_7_3_1_namesAreCaseInsensitive(String spelling) {
        HeaderName h = HeaderName.of(spelling);
        assertThat(h.isKnown()).isTrue();
        assertThat(h.name()).isEqualToIgnoringCase(spelling);
        byte[] bytes = spelling.getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderName.lookup(bytes, 0, bytes.length)).isSameAs(h);
    }

    @Test
    void knownNamesTakeTheirRegisteredSpelling() {
        assertThat(HeaderName.of("call-id").name()).isEqualTo("Call-ID");
        assertThat(HeaderName.of("CSEQ").name()).isEqualTo("CSeq");
        assertThat(HeaderName.of("www-authenticate").name()).isEqualTo("WWW-Authenticate");
        assertThat(HeaderName.of("RACK").name()).isEqualTo("RAck");
        assertThat(HeaderName.of("rseq").name()).isEqualTo("RSeq");
        assertThat(HeaderName.of("min-se").name()).isEqualTo("Min-SE");
    }

    @Test
    void lookupFromBytesReadsOnlyTheGivenRange() {
        byte[] bytes = "xxViaxx".getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderName.lookup(bytes, 2, 3)).isSameAs(HeaderName.VIA);
        assertThat(HeaderName.lookup(bytes, 2, 2)).isNull();
        assertThat(HeaderName.lookup(bytes, 1, 4)).isNull();
    }

    @Test
    void unknownNamesKeepTheirSpellingAndCompareIgnoringCase() {
        HeaderName weird = HeaderName.of("X-Weird-Thing");
        assertThat(weird.isKnown()).isFalse();
        assertThat(weird.name()).isEqualTo("X-Weird-Thing");
        assertThat(weird).hasToString("X-Weird-Thing");
        assertThat(weird.compactForm()).isEqualTo((char) 0);
        assertThat(HeaderName.of("x-weird-thing")).isEqualTo(weird).hasSameHashCodeAs(weird);
        assertThat(HeaderName.of("x-weird-thing").name()).isEqualTo("x-weird-thing");
        assertThat(HeaderName.of("X-Weird-Thing2")).isNotEqualTo(weird);
        byte[] bytes = "X-Weird-Thing".getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderName.lookup(bytes, 0, bytes.length)).isNull();
    }

    @Test
    void unassignedLetterIsAnUnknownHeaderNotACompactForm() {
        // 'z', 'g', 'n', 'p', 'q', 'w' are not compact forms of anything
        for (String letter : new String[] {"z", "g", "n", "p", "q", "w", "h"}) {
            HeaderName h = HeaderName.of(letter);
            assertThat(h.isKnown()).as(letter).isFalse();
            assertThat(h.name()).isEqualTo(letter);
        }
        // a long name with a compact form is not equal to an unknown header spelled as its letter's neighbour
        assertThat(HeaderName.of("v")).isNotEqualTo(HeaderName.of("vv"));
    }

    @Test
    void rfc3261_25_1_anUnknownNameMustBeAToken() {
        for (String bad : new String[] {"", "X-A: b", "X-A\r\nVia", "X A", "X-Ä", "X-A\0"}) {
            assertThatThrownBy(() -> HeaderName.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(HeaderName.of("X-a.b!%*_+`'~").name()).isEqualTo("X-a.b!%*_+`'~");
    }

    @Test
    void nonAsciiBytesDoNotMatchAKnownName() {
        byte[] bytes = {(byte) 'V', (byte) 0xE9, (byte) 'a'};
        assertThat(HeaderName.lookup(bytes, 0, 3)).isNull();
        byte[] single = {(byte) 0xF6};
        assertThat(HeaderName.lookup(single, 0, 1)).isNull();
    }

    @Test
    void anOctetThatFoldsOntoALetterOrHyphenDoesNotMatch() {
        // lookup folds case by setting bit 0x20, which also turns CR into '-' and '@' into '`'
        for (String near : new String[] {"Call\rID", "Max\rForwards", "V@a", "\u0016ia", "Vi\u0001"}) {
            byte[] bytes = near.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(HeaderName.lookup(bytes, 0, bytes.length)).as(near).isNull();
        }
        assertThatThrownBy(() -> HeaderName.of("Call\rID")).isInstanceOf(IllegalArgumentException.class);
        // a known name equals only itself, whatever the other's spelling; unknown ones compare ignoring case
        assertThat(HeaderName.of("Call-ID")).isEqualTo(HeaderName.of("call-id")).isEqualTo(HeaderName.of("i"));
        assertThat(HeaderName.of("Call-ID")).isNotEqualTo(HeaderName.of("Call-IDs"));
    }
}
