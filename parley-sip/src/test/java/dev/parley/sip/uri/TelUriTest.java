package dev.parley.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tel URI of RFC 3966: grammar (§3), local numbers (§5.1.5) and comparison (§4). */
class TelUriTest {

    private static TelUri tel(String text) {
        return (TelUri) Uri.parse(text);
    }

    @Test
    void rfc3966_3_globalNumber() {
        TelUri uri = tel("tel:+1-201-555-0123");
        assertThat(uri.scheme()).isEqualTo("tel");
        assertThat(uri.isGlobal()).isTrue();
        assertThat(uri.number()).isEqualTo("+1-201-555-0123");
        assertThat(uri.normalizedNumber()).isEqualTo("+12015550123");
        assertThat(uri.phoneContext()).isNull();
        assertThat(uri.extension()).isNull();
        assertThat(uri.isdnSubaddress()).isNull();
        assertThat(uri.parameters().isEmpty()).isTrue();
        assertThat(uri).hasToString("tel:+1-201-555-0123");
    }

    @Test
    void rfc3966_6_examples() {
        TelUri local = tel("tel:7042;phone-context=example.com");
        assertThat(local.isGlobal()).isFalse();
        assertThat(local.number()).isEqualTo("7042");
        assertThat(local.phoneContext()).isEqualTo("example.com");

        TelUri prefixed = tel("tel:863-1234;phone-context=+1-914-555");
        assertThat(prefixed.isGlobal()).isFalse();
        assertThat(prefixed.normalizedNumber()).isEqualTo("8631234");
        assertThat(prefixed.phoneContext()).isEqualTo("+1-914-555");
    }

    @Test
    void rfc3966_5_1_extensionSubaddressAndOtherParameters() {
        TelUri uri = tel("tel:+1-201-555-0123;ext=1234;isub=1411;foo=b%41r;flag");
        assertThat(uri.extension()).isEqualTo("1234");
        assertThat(uri.isdnSubaddress()).isEqualTo("1411");
        assertThat(uri.parameters().value("foo")).isEqualTo("b%41r");
        assertThat(uri.parameters().has("flag")).isTrue();
        assertThat(uri.parameters().size()).isEqualTo(4);
        assertThat(uri).hasToString("tel:+1-201-555-0123;ext=1234;isub=1411;foo=b%41r;flag");
        assertThat(Uri.parse(uri.toString())).isEqualTo(uri);
    }

    @Test
    void rfc3966_5_1_5_localNumbersUseHexDigitsStarAndHash() {
        TelUri uri = tel("tel:*1A#;phone-context=example.com");
        assertThat(uri.normalizedNumber()).isEqualTo("*1A#");
        assertThat(tel("tel:(a)b-c;phone-context=example.com").normalizedNumber()).isEqualTo("ABC");
    }

    @Test
    void rfc3966_5_1_5_localNumberWithoutPhoneContextFails() {
        assertThatThrownBy(() -> Uri.parse("tel:7042")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Uri.parse("tel:7042;ext=1")).isInstanceOf(SipSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:", "tel:+", "tel:+-.()", "tel:+1 201", "tel: +1201", "tel:+1201 ", "tel:+12a",
        "tel:+1;ext=", "tel:+1;ext=abc", "tel:+1;ext=--", "tel:+1;ext", "tel:1234;phone-context=-bad.example",
        "tel:1234;phone-context=+", "tel:1234;phone-context=example.123", "tel:+1;phone-context", "tel:+1;=x",
        "tel:+1;", "tel:+1;a=", "tel:+1;a_b=c", "tel:+1;a=%zz", "tel:+1;a=b c", "tel:+1?x", "tel:+1@example.com",
        "tel:+1;isub=", "tel:+1;a=\"b\"", "tel:;phone-context=example.com", "tel:g;phone-context=example.com"})
    void malformedTelUrisFail(String text) {
        assertThatThrownBy(() -> Uri.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc3966_4_visualSeparatorsAreIgnored() {
        Uri a = Uri.parse("tel:+1-201-555-0123");
        assertThat(a.equivalentTo(Uri.parse("tel:+1.201.555.0123"))).isTrue();
        assertThat(a.equivalentTo(Uri.parse("tel:+1(201)5550123"))).isTrue();
        assertThat(a.equivalentTo(Uri.parse("tel:+12015550123"))).isTrue();
        assertThat(a.equivalentTo(Uri.parse("tel:+1-201-555-0124"))).isFalse();
        assertThat(a.equivalentTo(Uri.parse("tel:+1-201-555-01234"))).isFalse();
        assertThat(a).isNotEqualTo(Uri.parse("tel:+1.201.555.0123"));
    }

    @Test
    void rfc3966_4_globalAndLocalNeverMatch() {
        assertThat(Uri.parse("tel:+1234;phone-context=example.com")
                .equivalentTo(Uri.parse("tel:1234;phone-context=example.com"))).isFalse();
    }

    @Test
    void rfc3966_4_parametersCompareByNameInAnyOrder() {
        Uri a = Uri.parse("tel:+1234;ext=5;foo=bar");
        assertThat(a.equivalentTo(Uri.parse("tel:+1234;FOO=BAR;ext=5"))).isTrue();
        assertThat(a.equivalentTo(Uri.parse("tel:+1234;foo=b%41r;ext=5"))).isTrue();
        assertThat(a.equivalentTo(Uri.parse("tel:+1234;ext=5"))).isFalse();
        assertThat(Uri.parse("tel:+1234;ext=5").equivalentTo(a)).isFalse();
        assertThat(a.equivalentTo(Uri.parse("tel:+1234;ext=5;foo=baz"))).isFalse();
        assertThat(a.equivalentTo(Uri.parse("tel:+1234;ext=5;foo"))).isFalse();
        assertThat(a.equivalentTo(Uri.parse("tel:+1234;ext=6;foo=bar"))).isFalse();
    }

    @Test
    void rfc3966_4_extensionComparesDigitByDigit() {
        assertThat(Uri.parse("tel:+1234;ext=12-34").equivalentTo(Uri.parse("tel:+1234;ext=1234"))).isTrue();
    }

    @Test
    void rfc3966_4_phoneContextAsDomainOrAsDigits() {
        assertThat(Uri.parse("tel:7042;phone-context=Example.COM")
                .equivalentTo(Uri.parse("tel:7042;phone-context=example.com"))).isTrue();
        assertThat(Uri.parse("tel:7042;phone-context=example.com")
                .equivalentTo(Uri.parse("tel:7042;phone-context=example.net"))).isFalse();
        assertThat(Uri.parse("tel:863-1234;phone-context=+1-914-555")
                .equivalentTo(Uri.parse("tel:8631234;phone-context=+1914555"))).isTrue();
        assertThat(Uri.parse("tel:863-1234;phone-context=+1-914-555")
                .equivalentTo(Uri.parse("tel:8631234;phone-context=+1914556"))).isFalse();
    }

    @Test
    void rfc3966_4_comparisonIgnoresCase() {
        assertThat(Uri.parse("tel:*1a#;phone-context=example.com")
                .equivalentTo(Uri.parse("TEL:*1A#;PHONE-CONTEXT=EXAMPLE.COM"))).isTrue();
    }

    @Test
    void notEquivalentToOtherSchemes() {
        assertThat(Uri.parse("tel:+1234").equivalentTo(Uri.parse("sip:+1234@example.com;user=phone"))).isFalse();
    }

    @Test
    void upperCaseSchemeIsWrittenInLowerCase() {
        assertThat(Uri.parse("TEL:+1-201-555-0123")).hasToString("tel:+1-201-555-0123");
    }
}
