package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate and Proxy-Authenticate (RFC 3261 §20.27, §20.44; RFC 7616 §3.3). */
class ChallengeTest {

    private static Challenge roundTrip(Challenge c) {
        Challenge again = Challenge.parse(c.toString());
        assertThat(again).isEqualTo(c);
        assertThat(again.toString()).isEqualTo(c.toString());
        return c;
    }

    @Test
    void rfc3261_20_44_example() {
        Challenge c = roundTrip(Challenge.parse("Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\","
                + " qop=\"auth\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5"));
        assertThat(c.isDigest()).isTrue();
        assertThat(c.realm()).isEqualTo("atlanta.com");
        assertThat(c.qop()).isEqualTo("auth");
        assertThat(c.nonce()).isEqualTo("f84f1cec41e6cbe5aea9c8e88d359");
        assertThat(c.opaque()).isEmpty();
        assertThat(c.stale()).isFalse();
        assertThat(c.algorithm()).isEqualTo("MD5");
        assertThat(c.parameters().unquotedValue("domain")).isEqualTo("sip:boxesbybob.com");
    }

    @Test
    void rfc7616_3_3_staleTrueIsCaseInsensitive() {
        assertThat(Challenge.parse("Digest realm=\"r\", nonce=\"n\", stale=TRUE").stale()).isTrue();
        assertThat(Challenge.parse("Digest realm=\"r\", nonce=\"n\", stale=\"true\"").stale()).isTrue();
    }

    @Test
    void rfc7616_3_7_twoChallengesInOneLine() {
        List<Challenge> list = HeaderType.WWW_AUTHENTICATE.parseList(
                "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256,"
                        + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\","
                        + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\","
                        + " Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5,"
                        + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\","
                        + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
        assertThat(list).hasSize(2);
        assertThat(list).extracting(Challenge::algorithm).containsExactly("SHA-256", "MD5");
        assertThat(list.get(0).qop()).isEqualTo("auth, auth-int");
        assertThat(list.get(1).opaque()).isEqualTo("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
        assertThat(list.get(0).parameters().size()).isEqualTo(5);
    }

    @Test
    void rfc4475_3_3_7_unknownSchemeChallengeThenDigest() {
        List<Challenge> list = HeaderType.PROXY_AUTHENTICATE.parseList(
                "NoOneKnowsThisScheme opaque-data=here, Digest realm=\"r\", nonce=\"n\"");
        assertThat(list).extracting(Challenge::scheme).containsExactly("NoOneKnowsThisScheme", "Digest");
        assertThat(list.get(0).parameters().value("opaque-data")).isEqualTo("here");
        assertThat(list.get(1).nonce()).isEqualTo("n");
    }

    @Test
    void digestFactoryWritesAFixedOrder() {
        Challenge c = Challenge.digest("parley", "abc", "SHA-256", "auth", "op", true);
        assertThat(c).hasToString(
                "Digest realm=\"parley\", nonce=\"abc\", opaque=\"op\", stale=true, algorithm=SHA-256, qop=\"auth\"");
        roundTrip(c);
        Challenge minimal = Challenge.digest("p", "n", "MD5", null, null, false);
        assertThat(minimal).hasToString("Digest realm=\"p\", nonce=\"n\", algorithm=MD5");
        assertThat(minimal.stale()).isFalse();
        assertThat(minimal.opaque()).isNull();
        roundTrip(minimal);
    }

    @Test
    void challengeWithoutParametersIsJustTheScheme() {
        Challenge c = roundTrip(Challenge.parse("Basic"));
        assertThat(c.parameters().isEmpty()).isTrue();
        assertThat(c).hasToString("Basic");
    }

    @Test
    void malformedChallengesAreSyntaxErrors() {
        assertThatThrownBy(() -> Challenge.parse("Digest realm=\"x")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Challenge.parse("Digest realm")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderType.WWW_AUTHENTICATE.parseList("Digest realm=\"x\",,"))
                .isInstanceOf(SipSyntaxException.class);
    }
}
