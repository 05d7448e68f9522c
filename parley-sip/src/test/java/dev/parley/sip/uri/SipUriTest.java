package dev.parley.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.Parameters.Parameter;
import dev.parley.sip.text.SipSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SIP-URI grammar of RFC 3261 §19.1.1 / §25.1, with the URIs of the RFC 4475 torture messages by section. */
class SipUriTest {

    @Test
    void rfc3261_19_1_1_allComponents() {
        SipUri uri = UriParser.parseSip(
                "sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
        assertThat(uri.scheme()).isEqualTo("sip");
        assertThat(uri.secure()).isFalse();
        assertThat(uri.user()).isEqualTo("alice");
        assertThat(uri.password()).isEqualTo("secretword");
        assertThat(uri.host().text()).isEqualTo("atlanta.com");
        assertThat(uri.port()).isEqualTo(5061);
        assertThat(uri.transport()).isEqualTo("tcp");
        assertThat(uri.lr()).isTrue();
        assertThat(uri.maddr()).isNull();
        assertThat(uri.method()).isNull();
        assertThat(uri.userParam()).isNull();
        assertThat(uri.parameters().asList())
                .containsExactly(new Parameter("transport", "tcp"), new Parameter("lr", null));
        assertThat(uri.headers().asList())
                .containsExactly(new Parameter("subject", "project%20x"), new Parameter("priority", "urgent"));
        assertThat(uri).hasToString(
                "sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
    }

    @Test
    void rfc3261_19_1_3_exampleUris() {
        for (String text : new String[] {"sip:alice@atlanta.com", "sip:alice:secretword@atlanta.com;transport=tcp",
            "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
            "sip:+1-212-555-1212:1234@gateway.com;user=phone", "sips:1212@gateway.com", "sip:alice@192.0.2.4",
            "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "sip:alice;day=tuesday@atlanta.com"}) {
            Uri uri = Uri.parse(text);
            assertThat(uri).isInstanceOf(SipUri.class).hasToString(text);
            assertThat(Uri.parse(uri.toString())).isEqualTo(uri);
        }
        SipUri tel = UriParser.parseSip("sip:+1-212-555-1212:1234@gateway.com;user=phone");
        assertThat(tel.user()).isEqualTo("+1-212-555-1212");
        assertThat(tel.password()).isEqualTo("1234");
        assertThat(tel.userParam()).isEqualTo("phone");
        assertThat(UriParser.parseSip("sip:alice;day=tuesday@atlanta.com").user()).isEqualTo("alice;day=tuesday");
        assertThat(UriParser.parseSip("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com").method())
                .isEqualTo("REGISTER");
    }

    @Test
    void sipsSchemeAndCaseInsensitiveScheme() {
        SipUri uri = UriParser.parseSip("SIPS:Bob@Biloxi.COM");
        assertThat(uri.secure()).isTrue();
        assertThat(uri.scheme()).isEqualTo("sips");
        assertThat(uri).hasToString("sips:Bob@Biloxi.COM");
        assertThat(UriParser.parseSip("Sip:bob@biloxi.com").scheme()).isEqualTo("sip");
    }

    @Test
    void rfc4475_3_1_1_2_wideRangeOfValidCharacters() {
        String text = "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
                + "@example.com";
        SipUri uri = UriParser.parseSip(text);
        assertThat(uri.user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        assertThat(uri.password()).isEqualTo("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
        assertThat(uri.host().text()).isEqualTo("example.com");
        assertThat(uri.parameters().isEmpty()).isTrue();
        assertThat(uri).hasToString(text);
        assertThat(UriParser.parseSip("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com").user())
                .isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    }

    @Test
    void rfc4475_3_1_1_3_validUseOfEscaping() {
        SipUri requestUri = UriParser.parseSip("sip:sips%3Auser%40example.com@example.net");
        assertThat(requestUri.user()).isEqualTo("sips:user@example.com");
        assertThat(requestUri.rawUser()).isEqualTo("sips%3Auser%40example.com");
        assertThat(requestUri.host().text()).isEqualTo("example.net");
        assertThat(requestUri).hasToString("sip:sips%3Auser%40example.com@example.net");

        assertThat(UriParser.parseSip("sip:%75se%72@example.com").user()).isEqualTo("user");
        assertThat(UriParser.parseSip("sip:I%20have%20spaces@example.net").user()).isEqualTo("I have spaces");

        // escaped parameter names and values: ";%6C%72" is lr, "n%61me=v%61lue%25%34%31" is name=value%41
        SipUri contact = UriParser.parseSip("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
        assertThat(contact.user()).isEqualTo("caller");
        assertThat(contact.lr()).isTrue();
        assertThat(contact.parameters().asList())
                .containsExactly(new Parameter("%6C%72", null), new Parameter("n%61me", "v%61lue%25%34%31"));
        assertThat(contact).hasToString("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
        assertThat(contact.equivalentTo(Uri.parse("sip:caller@host5.example.net;lr;name=value%2541"))).isTrue();
        assertThat(contact.equivalentTo(Uri.parse("sip:caller@host5.example.net;lr;name=valueA"))).isFalse();
    }

    @Test
    void rfc4475_3_1_1_4_escapedNullsAreKeptNotTruncated() {
        SipUri uri = UriParser.parseSip("sip:null-%00-null@example.com");
        assertThat(uri.user()).isEqualTo("null-\u0000-null").hasSize(11);
        SipUri one = UriParser.parseSip("sip:%00@host5.example.com");
        SipUri two = UriParser.parseSip("sip:%00%00@host5.example.com");
        assertThat(one.user()).isEqualTo("\u0000");
        assertThat(two.user()).isEqualTo("\u0000\u0000");
        assertThat(one.equivalentTo(two)).isFalse();
        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void rfc4475_3_1_1_9_semicolonSeparatedParametersInUserPart() {
        SipUri uri = UriParser.parseSip("sip:user;par=u%40example.net@example.com");
        assertThat(uri.user()).isEqualTo("user;par=u@example.net");
        assertThat(uri.rawUser()).isEqualTo("user;par=u%40example.net");
        assertThat(uri.host().text()).isEqualTo("example.com");
        assertThat(uri.parameters().isEmpty()).isTrue();
    }

    @Test
    void rfc4475_3_1_1_1_and_3_3_12_unknownParametersAreKept() {
        SipUri route = UriParser.parseSip("sip:services.example.com;lr;unknownwith=value;unknown-no-value");
        assertThat(route.user()).isNull();
        assertThat(route.lr()).isTrue();
        assertThat(route.parameters().value("unknownwith")).isEqualTo("value");
        assertThat(route.parameters().has("unknown-no-value")).isTrue();
        assertThat(UriParser.parseSip("sip:+19725552222@gw1.example.net;unknownparam").parameters().has("unknownparam"))
                .isTrue();
    }

    @Test
    void rfc4475_3_1_1_7_longValues() {
        String user = "amazinglylongcallername".repeat(5);
        String value = "verylong".repeat(40) + "value";
        String name = "longparamname" + "name".repeat(30);
        SipUri uri = UriParser.parseSip("sip:" + user + "@example.com:6000;unknownparam1=" + value + ";" + name
                + "=shortvalue;very" + "long".repeat(20) + "ParameterNameWithNoValue");
        assertThat(uri.user()).isEqualTo(user);
        assertThat(uri.port()).isEqualTo(6000);
        assertThat(uri.parameters().value("unknownparam1")).isEqualTo(value);
        assertThat(uri.parameters().value(name)).isEqualTo("shortvalue");
        assertThat(uri.parameters().size()).isEqualTo(3);
    }

    @Test
    void rfc4475_3_1_2_11_and_3_3_14_escapedHeadersInUri() {
        SipUri uri = UriParser.parseSip("sip:user@example.com?Route=%3Csip:example.com%3E");
        assertThat(uri.headers().value("route")).isEqualTo("%3Csip:example.com%3E");
        assertThat(uri).hasToString("sip:user@example.com?Route=%3Csip:example.com%3E");
        assertThat(uri.withoutHeaders()).hasToString("sip:user@example.com");
    }

    @Test
    void rfc4475_3_1_2_8_embeddedWhitespaceIsRejected() {
        assertThatThrownBy(() -> Uri.parse("sip:user@example.com; lr")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc4475_3_1_2_14_spacesAroundAddrSpecAreRejected() {
        assertThatThrownBy(() -> Uri.parse(" sip:t.watson@example.org ")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Uri.parse("sip:t.watson@example.org ")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc4475_3_1_2_7_angleBracketsAreNotPartOfAUri() {
        assertThatThrownBy(() -> Uri.parse("<sip:user@example.com>")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc4475_3_4_1_rfc2543Style() {
        SipUri uri = UriParser.parseSip("sip:UserB@example.com;maddr=ss1.example.com");
        assertThat(uri.maddr()).isEqualTo("ss1.example.com");
        assertThat(UriParser.parseSip("sip:+13035551111@ift.client.example.net;user=phone").userParam())
                .isEqualTo("phone");
    }

    @Test
    void escapedUserIsDecodedAsUtf8() {
        assertThat(UriParser.parseSip("sip:%C3%A9mile@example.com").user()).isEqualTo("émile");
        assertThat(UriParser.parseSip("sip:%ff@example.com").user()).isEqualTo("\uFFFD");
        assertThat(UriParser.parseSip("sip:a%3Ab:p%40ss@example.com").password()).isEqualTo("p@ss");
        assertThat(UriParser.parseSip("sip:a:@example.com").password()).isEmpty();
    }

    @Test
    void ports() {
        assertThat(UriParser.parseSip("sip:h.example:0").port()).isZero();
        assertThat(UriParser.parseSip("sip:h.example:65535").port()).isEqualTo(65535);
        assertThat(UriParser.parseSip("sip:h.example:05060").port()).isEqualTo(5060);
        assertThat(UriParser.parseSip("sip:h.example").port()).isEqualTo(-1);
        for (String bad : new String[] {"sip:h.example:", "sip:h.example:65536", "sip:h.example:123456",
            "sip:h.example:99999999999999999999", "sip:h.example:-1", "sip:h.example:50a", "sip:h.example:5060:5060"}) {
            assertThatThrownBy(() -> Uri.parse(bad)).as(bad).isInstanceOf(SipSyntaxException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:", "sips:", "sip:@example.com", "sip::pw@example.com", "sip:user@", "sip:user@;lr", "sip:user@:5060",
        "sip:%G1@example.com", "sip:user%@example.com", "sip:user%4@example.com", "sip:user@example.com;a=%",
        "sip:user@example.com;a%zz", "sip:user@example.com?h=%4", "sip:us er@example.com", "sip:user@exa mple.com",
        "sip:user@example.com;a=b c", "sip:user@example.com?x", "sip:user@example.com?=x", "sip:a@b.example@c.example",
        "sip:user#1@example.com", "sip:user@ho_st.example", "sip:user@example.com;", "sip:user@example.com;=x",
        "sip:user@example.com;x=", "sip:user@example.com?a=b&", "sip:user@example.com#frag", "sip:user@[::1",
        "sip:user@[]", "sip:user@[::1]]", "sip:user@[::1]x", "sip:user@example.com>", "sip:pass:w:rd@example.com",
        "sip:user@example.com\r\n", "sip:user@example.com\t", "sip:üser@example.com", "sip:user@example.com;a=\"b\"",
        "sip:user@example.com;a=b?h=v@x", "sip:user@example.123", "sip:user@256.0.0.1", "sip:user@1.2.3",
        "sip:user:p%@example.com", "sip:user:p<w@example.com"})
    void malformedUrisFail(String text) {
        assertThatThrownBy(() -> Uri.parse(text)).isInstanceOf(SipSyntaxException.class)
                .satisfies(e -> assertThat(((SipSyntaxException) e).status()).isEqualTo(400));
    }

    @Test
    void parameterAndHeaderCountsAreLimited() {
        assertThat(UriParser.parseSip("sip:h.example" + ";p=v".repeat(64)).parameters().size()).isEqualTo(64);
        assertThatThrownBy(() -> Uri.parse("sip:h.example" + ";p=v".repeat(65))).isInstanceOf(SipSyntaxException.class);
        assertThat(UriParser.parseSip("sip:h.example?h=v" + "&h=v".repeat(31)).headers().size()).isEqualTo(32);
        assertThatThrownBy(() -> Uri.parse("sip:h.example?h=v" + "&h=v".repeat(32)))
                .isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Uri.parse("tel:+1" + ";p=v".repeat(65))).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void parseSipRefusesOtherSchemesWith416() {
        assertThatThrownBy(() -> UriParser.parseSip("tel:+1-201-555-0123"))
                .isInstanceOf(SipSyntaxException.class)
                .satisfies(e -> assertThat(((SipSyntaxException) e).status()).isEqualTo(416));
        assertThatThrownBy(() -> UriParser.parseSip("sip:")).isInstanceOf(SipSyntaxException.class)
                .satisfies(e -> assertThat(((SipSyntaxException) e).status()).isEqualTo(400));
    }

    @Test
    void parsesARangeOfALargerText() {
        String line = "INVITE sip:bob@biloxi.example.com;transport=tcp SIP/2.0";
        Uri uri = UriParser.parse(line, 7, 47);
        assertThat(uri).hasToString("sip:bob@biloxi.example.com;transport=tcp");
        StringBuilder sb = new StringBuilder("To: <sips:carol@chicago.example.com>");
        assertThat(UriParser.parse(sb, 5, 35)).hasToString("sips:carol@chicago.example.com");
        assertThatThrownBy(() -> UriParser.parse(line, 7, 7)).isInstanceOf(SipSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:alice@atlanta.com", "sips:alice:pw@[2001:db8::1]:5061;transport=tls;lr?Subject=hi&x=",
        "sip:%00@example.com;%6C%72", "sip:user;par=u%40example.net@example.com", "sip:192.0.2.4:5060;maddr=[::1]",
        "sip:a@b.example;ttl=15;method=INVITE;user=ip;x=y/z:w&q+r$s[t]", "sip:example.com.?h%20n=v%2520"})
    void roundTrip(String text) {
        Uri uri = Uri.parse(text);
        assertThat(uri).hasToString(text);
        Uri again = Uri.parse(uri.toString());
        assertThat(again).isEqualTo(uri).hasSameHashCodeAs(uri);
        assertThat(again.equivalentTo(uri)).isTrue();
        StringBuilder sb = new StringBuilder("x");
        uri.appendTo(sb);
        assertThat(sb).hasToString("x" + text);
    }

    @Test
    void equalsIsStructural() {
        SipUri a = UriParser.parseSip("sip:%61lice@atlanta.com;Transport=tcp");
        SipUri b = UriParser.parseSip("sip:alice@atlanta.com;transport=tcp");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.equivalentTo(b)).isTrue();
        assertThat(UriParser.parseSip("SIP:alice@atlanta.com;TRANSPORT=tcp"))
                .isEqualTo(UriParser.parseSip("sip:alice@atlanta.com;transport=tcp"));
        assertThat(UriParser.parseSip("sip:alice@ATLANTA.com"))
                .isNotEqualTo(UriParser.parseSip("sip:alice@atlanta.com"));
        assertThat(UriParser.parseSip("sip:alice@atlanta.com;transport=TCP"))
                .isNotEqualTo(UriParser.parseSip("sip:alice@atlanta.com;transport=tcp"));
    }

    @Test
    void withersReturnModifiedCopies() {
        SipUri uri = UriParser.parseSip("sip:alice:pw@atlanta.com:5060;transport=udp;lr?subject=x");
        assertThat(uri.withUser("bob")).hasToString("sip:bob:pw@atlanta.com:5060;transport=udp;lr?subject=x");
        assertThat(uri.withUser(null)).hasToString("sip:atlanta.com:5060;transport=udp;lr?subject=x");
        assertThat(uri.withHost(Host.parse("[::1]"))).hasToString("sip:alice:pw@[::1]:5060;transport=udp;lr?subject=x");
        assertThat(uri.withPort(-1)).hasToString("sip:alice:pw@atlanta.com;transport=udp;lr?subject=x");
        assertThat(uri.withPort(5080).port()).isEqualTo(5080);
        assertThat(uri.withParameter("transport", "tcp"))
                .hasToString("sip:alice:pw@atlanta.com:5060;transport=tcp;lr?subject=x");
        assertThat(uri.withParameter("ob", null))
                .hasToString("sip:alice:pw@atlanta.com:5060;transport=udp;lr;ob?subject=x");
        assertThat(uri.withoutParameter("LR")).hasToString("sip:alice:pw@atlanta.com:5060;transport=udp?subject=x");
        assertThat(uri.withoutParameter("nope")).isSameAs(uri);
        assertThat(uri.withoutHeaders()).hasToString("sip:alice:pw@atlanta.com:5060;transport=udp;lr");
        assertThat(uri.withSecure(true).scheme()).isEqualTo("sips");
        assertThat(uri).hasToString("sip:alice:pw@atlanta.com:5060;transport=udp;lr?subject=x");

        assertThatThrownBy(() -> uri.withUser("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uri.withUser("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uri.withPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uri.withParameter("a;b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uri.withParameter("a", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uri.withParameter("a", "%zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderAssemblesAUriThatParsesBack() {
        SipUri uri = SipUri.builder()
                .secure(true)
                .user(SipUri.escapeUser("alice smith@home"))
                .host("example.com")
                .port(5061)
                .parameter("transport", "tls")
                .parameter("lr", null)
                .header("Subject", "hello%20there")
                .build();
        assertThat(uri)
                .hasToString("sips:alice%20smith%40home@example.com:5061;transport=tls;lr?Subject=hello%20there");
        assertThat(uri.user()).isEqualTo("alice smith@home");
        assertThat(Uri.parse(uri.toString())).isEqualTo(uri);
        assertThatThrownBy(() -> SipUri.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SipUri.builder().host("bad host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipUri.builder().header("a", "b c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapeUserKeepsAllowedCharactersAndEscapesTheRest() {
        assertThat(SipUri.escapeUser("alice")).isEqualTo("alice");
        assertThat(SipUri.escapeUser("+1-212;x=y?/")).isEqualTo("+1-212;x=y?/");
        assertThat(SipUri.escapeUser("a:b@c%d#e")).isEqualTo("a%3Ab%40c%25d%23e");
        assertThat(SipUri.escapeUser("é\u0000😀")).isEqualTo("%C3%A9%00%F0%9F%98%80");
        assertThat(UriParser.parseSip("sip:" + SipUri.escapeUser("é\u0000😀") + "@x.example").user())
                .isEqualTo("é\u0000😀");
    }
}
