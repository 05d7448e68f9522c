package dev.parley.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Hosts of SIP URIs, with the IPv6 cases of RFC 5118 §4 by section. */
class HostTest {

    @Test
    void rfc5118_4_1_validIpv6ReferenceInRequestUri() {
        SipUri uri = UriParser.parseSip("sip:[2001:db8::10]");
        assertThat(uri.host().isIpv6()).isTrue();
        assertThat(uri.host().kind()).isEqualTo(Host.Kind.IPV6);
        assertThat(uri.host().text()).isEqualTo("[2001:db8::10]");
        assertThat(uri.port()).isEqualTo(-1);
        assertThat(uri.user()).isNull();
        assertThat(uri).hasToString("sip:[2001:db8::10]");
    }

    @Test
    void rfc5118_4_2_ipv6WithoutBracketsIsRejected() {
        // REGISTER sip:2001:db8::10 SIP/2.0 — host "2001", then "db8" is no port
        assertThatThrownBy(() -> Uri.parse("sip:2001:db8::10")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Host.parse("2001:db8::10")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc5118_4_3_portAmbiguousIsPartOfTheAddress() {
        SipUri uri = UriParser.parseSip("sip:[2001:db8::10:5070]");
        assertThat(uri.port()).isEqualTo(-1);
        assertThat(uri.host().canonical()).isEqualTo("[2001:db8::10:5070]");
        assertThat(uri.host()).isEqualTo(Host.parse("[2001:db8:0:0:0:0:10:5070]"));
    }

    @Test
    void rfc5118_4_4_portUnambiguousFollowsTheBracket() {
        SipUri uri = UriParser.parseSip("sip:[2001:db8::10]:5070");
        assertThat(uri.port()).isEqualTo(5070);
        assertThat(uri.host()).isEqualTo(Host.parse("[2001:db8::10]"));
        assertThat(uri.equivalentTo(Uri.parse("sip:[2001:db8::10:5070]"))).isFalse();
    }

    @Test
    void rfc5118_4_5_receivedAddressWithAndWithoutDelimiters() {
        Host bare = Host.parseAddress("2001:db8::9:255");
        Host bracketed = Host.parseAddress("[2001:db8::9:255]");
        assertThat(bare).isEqualTo(bracketed);
        assertThat(bare.text()).isEqualTo("[2001:db8::9:255]");
        assertThat(Host.parseAddress("192.0.2.1").isIpv4()).isTrue();
        assertThatThrownBy(() -> Host.parseAddress("example.com")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Host.parseAddress("2001:db8::9:255]")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc5118_4_9_ipv4MappedIpv6Parses() {
        SipUri uri = UriParser.parseSip("sip:ted@[::ffff:192.0.2.2]");
        assertThat(uri.host().isIpv6()).isTrue();
        assertThat(uri.host().canonical()).isEqualTo("[::ffff:192.0.2.2]");
        assertThat(uri.host()).isEqualTo(Host.parse("[0:0:0:0:0:ffff:c000:202]"));
        // never resolved or unmapped: an IPv6 host is not the IPv4 host
        assertThat(uri.host()).isNotEqualTo(Host.parse("192.0.2.2"));
    }

    @Test
    void rfc5118_4_10_threeColonBugIsTolerated() {
        Host buggy = Host.parse("[2001:db8:::192.0.2.1]");
        Host correct = Host.parse("[2001:db8::192.0.2.1]");
        assertThat(buggy).isEqualTo(correct).hasSameHashCodeAs(correct);
        assertThat(buggy.text()).isEqualTo("[2001:db8:::192.0.2.1]");
        assertThat(Uri.parse("sip:user@[2001:db8:::192.0.2.1]")
                .equivalentTo(Uri.parse("sip:user@[2001:db8::192.0.2.1]"))).isTrue();
        assertThat(Host.parse("[:::192.0.2.1]")).isEqualTo(Host.parse("[::192.0.2.1]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2001:db8:::1]", "[2001:db8:::]", "[:::]", "[:::1]", "[1:::2:192.0.2.1]"})
    void threeColonsAreToleratedOnlyBeforeAnIpv4Address(String text) {
        assertThatThrownBy(() -> Host.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "[::1],                                [0:0:0:0:0:0:0:1]",
        "[::],                                 [0:0:0:0:0:0:0:0]",
        "[2001:DB8::1],                        [2001:0db8:0000:0000:0000:0000:0000:0001]",
        "[1:2:3:4:5:6:7:8],                    [0001:0002:0003:0004:0005:0006:0007:0008]",
        "[1:2:3:4:5:6:1.2.3.4],                [1:2:3:4:5:6:102:304]",
        "[::1:2:3:4:5:6:7],                    [0:1:2:3:4:5:6:7]",
        "[1:2:3:4:5:6:7::],                    [1:2:3:4:5:6:7:0]",
    })
    void ipv6AddressesCompareByValue(String a, String b) {
        assertThat(Host.parse(a)).isEqualTo(Host.parse(b)).hasSameHashCodeAs(Host.parse(b));
    }

    @ParameterizedTest
    @CsvSource({
        "[0:0:0:0:0:0:0:1],                    [::1]",
        "[2001:DB8:0:0:1:0:0:1],               [2001:db8::1:0:0:1]",
        "[2001:db8:0:0:0:0:2:1],               [2001:db8::2:1]",
        "[2001:db8:0:1:1:1:1:1],               [2001:db8:0:1:1:1:1:1]",
        "[2001:0:0:1:0:0:0:1],                 [2001:0:0:1::1]",
        "[0:0:0:0:0:0:0:0],                    [::]",
        "[1:0:0:0:0:0:0:0],                    [1::]",
        "[::ffff:c000:0201],                   [::ffff:192.0.2.1]",
    })
    void rfc5952CanonicalText(String text, String canonical) {
        assertThat(Host.parse(text).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[]", "[:]", "[::", "::1]", "[1:2:3:4:5:6:7:8:9]", "[12345::]", "[1::2::3]",
        "[1:2:3:4:5:6:7]", "[::1.2.3.256]", "[g::]", "[1:]", "[:1]", "[1:2:3:4:5:6:7:8::]", "[1.2.3.4]",
        "[::1.2.3]", "[::1.2.3.4:5]", "[1:2:3:4:5:6:7:1.2.3.4]", "[ ::1]", "[::1]x", "[::1%eth0]"})
    void invalidIpv6ReferencesFail(String text) {
        assertThatThrownBy(() -> Host.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void ipv4AddressesCompareByValue() {
        Host h = Host.parse("192.0.2.1");
        assertThat(h.isIpv4()).isTrue();
        assertThat(h.canonical()).isEqualTo("192.0.2.1");
        assertThat(Host.parse("192.000.002.001")).isEqualTo(h);
        assertThat(Host.parse("192.000.002.001").canonical()).isEqualTo("192.0.2.1");
        assertThat(Host.parse("255.255.255.255").canonical()).isEqualTo("255.255.255.255");
        assertThat(Host.parse("192.0.2.2")).isNotEqualTo(h);
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1234.1.1.1", "1.2.3.", ".1.2.3.4", "123"})
    void invalidIpv4AddressesFail(String text) {
        assertThatThrownBy(() -> Host.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void hostNamesCompareIgnoringCaseAndKeepTheirText() {
        Host h = Host.parse("AtLanTa.CoM");
        assertThat(h.isHostname()).isTrue();
        assertThat(h.text()).isEqualTo("AtLanTa.CoM");
        assertThat(h.canonical()).isEqualTo("atlanta.com");
        assertThat(h).isEqualTo(Host.parse("atlanta.com")).hasSameHashCodeAs(Host.parse("ATLANTA.COM"));
        assertThat(h).isNotEqualTo(Host.parse("atlanta.com."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "example.com", "example.com.", "3com.com", "a-b.c-d.example", "x1.y2.z3"})
    void validHostNames(String text) {
        assertThat(Host.parse(text).text()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "-bad.com", "bad-.com", "a..b", "example.123", "ex_ample.com", "exa mple.com",
        "example.com..", ".example.com", "host:5060", "héllo.com", "example.-com"})
    void invalidHostNamesFail(String text) {
        assertThatThrownBy(() -> Host.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void parsesARangeOfAnyCharSequence() {
        StringBuilder sb = new StringBuilder("Via: SIP/2.0/UDP [2001:db8::9:1]:6050");
        assertThat(Host.parse(sb, 17, 32)).isEqualTo(Host.parse("[2001:db8::9:1]"));
    }
}
