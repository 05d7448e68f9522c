package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Content-Type (RFC 3261 §20.15). */
class MediaTypeTest {

    private static MediaType roundTrip(MediaType m) {
        MediaType again = MediaType.parse(m.toString());
        assertThat(again).isEqualTo(m);
        assertThat(again.toString()).isEqualTo(m.toString());
        return m;
    }

    @Test
    void rfc3261_20_15_sdp() {
        MediaType m = roundTrip(MediaType.parse("application/sdp"));
        assertThat(m.type()).isEqualTo("application");
        assertThat(m.subtype()).isEqualTo("sdp");
        assertThat(m.isSdp()).isTrue();
        assertThat(m).isEqualTo(MediaType.APPLICATION_SDP);
    }

    @Test
    void rfc3261_20_15_parameterExample() {
        MediaType m = roundTrip(MediaType.parse("text/html; charset=ISO-8859-4"));
        assertThat(m.is("TEXT", "HTML")).isTrue();
        assertThat(m.isSdp()).isFalse();
        assertThat(m.parameters().value("charset")).isEqualTo("ISO-8859-4");
        assertThat(m).hasToString("text/html;charset=ISO-8859-4");
    }

    @Test
    void rfc2045_5_1_typeComparesCaseInsensitivelyAndQuotedParametersKeepQuotes() {
        MediaType m = roundTrip(MediaType.parse(
                "Multipart/Signed ; protocol=\"application/pkcs7-signature\";micalg=sha1;boundary=boundary42"));
        assertThat(m.is("multipart", "signed")).isTrue();
        assertThat(m.parameters().value("protocol")).isEqualTo("\"application/pkcs7-signature\"");
        assertThat(m.parameters().unquotedValue("protocol")).isEqualTo("application/pkcs7-signature");
        assertThat(m.parameters().value("boundary")).isEqualTo("boundary42");
    }

    @Test
    void rfc3261_25_1_slashMayBeSurroundedByWhitespace() {
        assertThat(MediaType.parse("application / sdp").isSdp()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application", "application/", "/sdp", "application/sdp extra", "application/sdp;", ""})
    void malformedMediaTypeIsASyntaxError(String value) {
        assertThatThrownBy(() -> MediaType.parse(value)).isInstanceOf(SipSyntaxException.class);
    }
}
