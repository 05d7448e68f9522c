package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.Uri;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39; §25.1). */
class AddressTest {

    private static Address roundTrip(Address a) {
        Address again = Address.parse(a.toString());
        assertThat(again).isEqualTo(a);
        assertThat(again.toString()).isEqualTo(a.toString());
        return a;
    }

    @Test
    void rfc3261_20_20_quotedDisplayNameWithTag() {
        Address a = roundTrip(Address.parse("\"A. G. Bell\" <sip:agb@bell-telephone.com> ;tag=a48s"));
        assertThat(a.displayName()).isEqualTo("A. G. Bell");
        assertThat(a.uri()).hasToString("sip:agb@bell-telephone.com");
        assertThat(a.tag()).isEqualTo("a48s");
        assertThat(a.isWildcard()).isFalse();
        assertThat(a).hasToString("\"A. G. Bell\" <sip:agb@bell-telephone.com>;tag=a48s");
    }

    @Test
    void rfc3261_25_1_quotedDisplayNameWithEscapedQuotesAndBackslash() {
        Address a = roundTrip(Address.parse("\"Mr. \\\"Watson\\\" \\\\ co\" <sip:watson@bell-telephone.com>"));
        assertThat(a.displayName()).isEqualTo("Mr. \"Watson\" \\ co");
        assertThat(a).hasToString("\"Mr. \\\"Watson\\\" \\\\ co\" <sip:watson@bell-telephone.com>");
    }

    @Test
    void rfc3261_25_1_tokenDisplayName() {
        Address a = roundTrip(Address.parse("Bob   Smith <sip:bob@biloxi.com>;tag=8321234356"));
        assertThat(a.displayName()).isEqualTo("Bob   Smith");
        assertThat(a.tag()).isEqualTo("8321234356");
        assertThat(a).hasToString("\"Bob   Smith\" <sip:bob@biloxi.com>;tag=8321234356");
    }

    @Test
    void rfc4475_3_1_1_6_noLwsBetweenDisplayNameAndLaquot() {
        // lwsdisp: From: caller<sip:caller@example.com>;tag=323
        Address a = roundTrip(Address.parse("caller<sip:caller@example.com>;tag=323"));
        assertThat(a.displayName()).isEqualTo("caller");
        assertThat(a.uri()).hasToString("sip:caller@example.com");
        assertThat(a.tag()).isEqualTo("323");
        Address quoted = Address.parse("\"caller\"<sip:caller@example.com>");
        assertThat(quoted.displayName()).isEqualTo("caller");
    }

    @Test
    void rfc3261_20_10_nameAddrWithoutDisplayName() {
        Address a = roundTrip(Address.parse("<sip:carol@chicago.com>"));
        assertThat(a.displayName()).isNull();
        assertThat(a.parameters().isEmpty()).isTrue();
        assertThat(a).hasToString("<sip:carol@chicago.com>");
        assertThat(Address.parse("\"\" <sip:carol@chicago.com>").displayName()).isEmpty();
    }

    @Test
    void rfc3261_20_10_unbracketedParametersBelongToTheHeaderNotTheUri() {
        Address a = roundTrip(Address.parse("sip:a@b;tag=x"));
        assertThat(a.displayName()).isNull();
        assertThat(a.tag()).isEqualTo("x");
        SipUri uri = (SipUri) a.uri();
        assertThat(uri.parameters().isEmpty()).isTrue();
        assertThat(uri).hasToString("sip:a@b");
        assertThat(a).hasToString("<sip:a@b>;tag=x");
    }

    @Test
    void rfc3261_20_10_bracketedParametersBelongToTheUri() {
        Address a = roundTrip(Address.parse("<sip:a@b;transport=tcp>;tag=x"));
        SipUri uri = (SipUri) a.uri();
        assertThat(uri.transport()).isEqualTo("tcp");
        assertThat(a.tag()).isEqualTo("x");
        assertThat(a.parameters().has("transport")).isFalse();
    }

    @Test
    void rfc3261_20_10_questionMarkInUnbracketedAddrSpecIsRejected() {
        assertThatThrownBy(() -> Address.parse("sip:a@b?subject=hi"))
                .isInstanceOf(SipSyntaxException.class)
                .hasMessageContaining("angle brackets");
        Address bracketed = Address.parse("<sip:a@b?subject=hi>");
        assertThat(((SipUri) bracketed.uri()).headers().value("subject")).isEqualTo("hi");
    }

    @Test
    void rfc3261_10_2_2_contactWildcard() {
        List<Address> contacts = HeaderType.CONTACT.parseList("*");
        assertThat(contacts).containsExactly(Address.WILDCARD);
        assertThat(contacts.get(0).isWildcard()).isTrue();
        assertThat(contacts.get(0).uri()).isNull();
        assertThat(contacts.get(0)).hasToString("*");
        // '*' is only for Contact: a From cannot be a wildcard
        assertThatThrownBy(() -> Address.parse("*")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rfc3261_20_10_contactExpiresAndQ() {
        List<Address> contacts = HeaderType.CONTACT.parseList(
                "\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600,"
                        + " \"Mr. Watson\" <mailto:watson@bell-telephone.com> ;q=0.1");
        assertThat(contacts).hasSize(2);
        assertThat(contacts.get(0).parameters().value("q")).isEqualTo("0.7");
        assertThat(contacts.get(0).parameters().value("expires")).isEqualTo("3600");
        assertThat(contacts.get(1).uri().scheme()).isEqualTo("mailto");
        assertThat(contacts.get(1).parameters().value("q")).isEqualTo("0.1");
        assertThat(contacts.get(1)).hasToString("\"Mr. Watson\" <mailto:watson@bell-telephone.com>;q=0.1");
    }

    @Test
    void rfc3261_20_10_commaEndsAnUnbracketedContact() {
        List<Address> contacts = HeaderType.CONTACT.parseList("sip:a@b;expires=60, sip:c@d");
        assertThat(contacts).extracting(a -> a.uri().toString()).containsExactly("sip:a@b", "sip:c@d");
        assertThat(contacts.get(0).parameters().value("expires")).isEqualTo("60");
    }

    @Test
    void rfc3261_20_34_routeListKeepsLrInTheUri() {
        List<Address> routes = HeaderType.ROUTE.parseList("<sip:p1.example.com;lr>, <sip:p2.example.com;lr>");
        assertThat(routes).hasSize(2);
        assertThat(((SipUri) routes.get(0).uri()).lr()).isTrue();
        assertThat(routes.get(1).uri()).hasToString("sip:p2.example.com;lr");
    }

    @Test
    void rfc3261_20_34_routeRecordRouteAndPathMustBeNameAddrs() {
        // unbracketed, ";lr" would become a header parameter and loose routing would be missed
        assertThatThrownBy(() -> HeaderType.ROUTE.parseList("sip:p1.example.com;lr"))
                .isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.RECORD_ROUTE.parseList("<sip:p1.example.com;lr>, sip:p2.example.com"))
                .isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.PATH.parseList("sip:edge.example.com;lr"))
                .isInstanceOf(SipSyntaxException.class);
        assertThat(HeaderType.ROUTE.parseList("\"Proxy\" <sip:p1.example.com;lr>").get(0).displayName())
                .isEqualTo("Proxy");
    }

    @Test
    void withTagAddsOrReplacesTheTag() {
        Address a = Address.of("Alice", Uri.parse("sip:alice@atlanta.com"));
        assertThat(a.withTag("1928301774")).hasToString("\"Alice\" <sip:alice@atlanta.com>;tag=1928301774");
        assertThat(a.withTag("1").withTag("2").tag()).isEqualTo("2");
        assertThat(a.withTag("1").withTag("2").parameters().size()).isEqualTo(1);
        roundTrip(a.withTag("x"));
    }

    @Test
    void utf8DisplayNameRoundTrips() {
        Address a = roundTrip(Address.parse("\"José Müller\" <sip:jose@example.com>"));
        assertThat(a.displayName()).isEqualTo("José Müller");
    }

    @Test
    void telUriInNameAddr() {
        Address a = roundTrip(Address.parse("<tel:+1-201-555-0123>;tag=a"));
        assertThat(a.uri().scheme()).isEqualTo("tel");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"unterminated <sip:a@b>",
        "\"name\" sip:a@b",           // a quoted display name needs a name-addr
        "<sip:a@b",                   // missing '>'
        "",
        "<sip:a@b> junk",
        "<sip:a@b>;tag=\"x",
    })
    void malformedAddressesAreSyntaxErrors(String value) {
        assertThatThrownBy(() -> Address.parse(value)).isInstanceOf(SipSyntaxException.class);
    }
}
