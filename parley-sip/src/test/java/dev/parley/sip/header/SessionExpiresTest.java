package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;

/** Session-Expires and Min-SE (RFC 4028 §4, §5). */
class SessionExpiresTest {

    @Test
    void rfc4028_4_exampleWithRefresher() {
        SessionExpires s = HeaderType.SESSION_EXPIRES.parseSingle("4000;refresher=uac");
        assertThat(s.seconds()).isEqualTo(4000);
        assertThat(s.refresher()).isEqualTo("uac");
        assertThat(s).hasToString("4000;refresher=uac");
        assertThat(HeaderType.SESSION_EXPIRES.parseSingle(s.toString())).isEqualTo(s);
    }

    @Test
    void rfc4028_4_compactExampleWithoutRefresher() {
        SessionExpires s = HeaderType.SESSION_EXPIRES.parseSingle("1800");
        assertThat(s.seconds()).isEqualTo(1800);
        assertThat(s.refresher()).isNull();
        assertThat(s).hasToString("1800");
        assertThat(HeaderType.SESSION_EXPIRES.parseSingle(s.toString())).isEqualTo(s);
    }

    @Test
    void rfc4028_4_extensionParametersAreKept() {
        SessionExpires s = HeaderType.SESSION_EXPIRES.parseSingle("90 ; refresher=uas ; x-foo=bar");
        assertThat(s.refresher()).isEqualTo("uas");
        assertThat(s.parameters().value("x-foo")).isEqualTo("bar");
        assertThat(s).hasToString("90;refresher=uas;x-foo=bar");
    }

    @Test
    void rfc4028_5_minSeWithParameters() {
        assertThat(HeaderType.MIN_SE.parseSingle("3600")).isEqualTo(3600L);
        assertThat(HeaderType.MIN_SE.parseSingle("90;lr")).isEqualTo(90L);
    }

    @Test
    void malformedSessionExpiresIsASyntaxError() {
        assertThatThrownBy(() -> HeaderType.SESSION_EXPIRES.parseSingle("uac")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.SESSION_EXPIRES.parseSingle("4294967296"))
                .isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.SESSION_EXPIRES.parseSingle("90 refresher=uac"))
                .isInstanceOf(SipSyntaxException.class);
    }
}
