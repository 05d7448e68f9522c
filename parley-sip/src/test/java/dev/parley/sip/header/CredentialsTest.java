package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authorization and Proxy-Authorization (RFC 3261 §20.7, §20.28; RFC 7616 §3.4). */
class CredentialsTest {

    private static Credentials roundTrip(Credentials c) {
        Credentials again = Credentials.parse(c.toString());
        assertThat(again).isEqualTo(c);
        assertThat(again.toString()).isEqualTo(c.toString());
        return c;
    }

    @Test
    void rfc3261_20_7_digestCredentialsOfTheRegisterExample() {
        Credentials c = roundTrip(Credentials.parse("Digest username=\"bob\", realm=\"biloxi.com\","
                + " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", qop=auth,"
                + " nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\","
                + " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""));
        assertThat(c.isDigest()).isTrue();
        assertThat(c.scheme()).isEqualTo("Digest");
        assertThat(c.username()).isEqualTo("bob");
        assertThat(c.realm()).isEqualTo("biloxi.com");
        assertThat(c.nonce()).isEqualTo("dcd98b7102dd2f0e8b11d0f600bfb0c093");
        assertThat(c.uri()).isEqualTo("sip:bob@biloxi.com");
        assertThat(c.qop()).isEqualTo("auth");
        assertThat(c.nonceCount()).isEqualTo("00000001");
        assertThat(c.cnonce()).isEqualTo("0a4f113b");
        assertThat(c.response()).isEqualTo("6629fae49393a05397450978507c4ef1");
        assertThat(c.opaque()).isEqualTo("5ccc069c403ebaf9f0171e9517f40e41");
        assertThat(c.algorithm()).isNull();
        // values are kept as written, quotes included
        assertThat(c.parameters().value("username")).isEqualTo("\"bob\"");
        assertThat(c.parameters().size()).isEqualTo(9);
    }

    @Test
    void rfc7616_3_9_1_sha256Credentials() {
        Credentials c = roundTrip(Credentials.parse("Digest username=\"Mufasa\", realm=\"http-auth@example.org\","
                + " uri=\"/dir/index.html\", algorithm=SHA-256,"
                + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001,"
                + " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth,"
                + " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\","
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
        assertThat(c.algorithm()).isEqualTo("SHA-256");
        assertThat(c.username()).isEqualTo("Mufasa");
        assertThat(c.realm()).isEqualTo("http-auth@example.org");
        assertThat(c.uri()).isEqualTo("/dir/index.html");
        assertThat(c.response()).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
        assertThat(c).hasToString("Digest username=\"Mufasa\", realm=\"http-auth@example.org\","
                + " uri=\"/dir/index.html\", algorithm=SHA-256,"
                + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001,"
                + " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth,"
                + " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\","
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    }

    @Test
    void rfc3261_25_1_schemeAndParameterNamesAreCaseInsensitive() {
        Credentials c = Credentials.parse("digest USERNAME=\"bob\" ,Realm = \"x\"");
        assertThat(c.isDigest()).isTrue();
        assertThat(c.username()).isEqualTo("bob");
        assertThat(c.realm()).isEqualTo("x");
    }

    @Test
    void rfc4475_3_3_7_unknownSchemeParses() {
        Credentials c = roundTrip(Credentials.parse("NoOneKnowsThisScheme opaque-data=here"));
        assertThat(c.scheme()).isEqualTo("NoOneKnowsThisScheme");
        assertThat(c.isDigest()).isFalse();
        assertThat(c.parameters().value("opaque-data")).isEqualTo("here");
        assertThat(c).hasToString("NoOneKnowsThisScheme opaque-data=here");
    }

    @Test
    void rfc3261_20_7_quotedValuesMayHoldCommasAndEscapedQuotes() {
        Credentials c = roundTrip(Credentials.parse("Digest username=\"a, \\\"b\\\"\", realm=\"r\""));
        assertThat(c.username()).isEqualTo("a, \"b\"");
        assertThat(c.realm()).isEqualTo("r");
    }

    @Test
    void rfc3261_20_7_twoCredentialsOnOneLine() {
        List<Credentials> list = HeaderType.AUTHORIZATION.parseList(
                "Digest username=\"a\", realm=\"one\", Digest username=\"b\", realm=\"two\"");
        assertThat(list).extracting(Credentials::realm).containsExactly("one", "two");
        assertThat(list).extracting(Credentials::username).containsExactly("a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Digest username", "Digest username=", "Digest username=\"open", "Digest =x", "", "Digest a=b c"})
    void malformedCredentialsAreSyntaxErrors(String value) {
        assertThatThrownBy(() -> Credentials.parse(value)).isInstanceOf(SipSyntaxException.class);
    }
}
