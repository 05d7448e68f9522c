package dev.parley.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** URI comparison, RFC 3261 §19.1.4, with the section's own examples and the rules one by one. */
class UriComparisonTest {

    private static void assertEquivalent(String a, String b) {
        Uri x = Uri.parse(a);
        Uri y = Uri.parse(b);
        assertThat(x.equivalentTo(y)).as("%s ≡ %s", a, b).isTrue();
        assertThat(y.equivalentTo(x)).as("%s ≡ %s", b, a).isTrue();
    }

    private static void assertNotEquivalent(String a, String b) {
        Uri x = Uri.parse(a);
        Uri y = Uri.parse(b);
        assertThat(x.equivalentTo(y)).as("%s ≢ %s", a, b).isFalse();
        assertThat(y.equivalentTo(x)).as("%s ≢ %s", b, a).isFalse();
    }

    // RFC 3261 §19.1.4: "The URIs within each of the following sets are equivalent"

    @Test
    void rfc3261_19_1_4_equivalent_escapedUserAndCaseOfHostAndParameters() {
        assertEquivalent("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp");
    }

    @Test
    void rfc3261_19_1_4_equivalent_parametersInOnlyOneUriAreIgnored() {
        assertEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5");
        assertEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com;security=on");
        assertEquivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on");
    }

    @Test
    void rfc3261_19_1_4_equivalent_parameterOrderDoesNotMatter() {
        assertEquivalent("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com");
    }

    @Test
    void rfc3261_19_1_4_equivalent_headerOrderDoesNotMatter() {
        assertEquivalent("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x");
    }

    // "The URIs within each of the following sets are not equivalent"

    @Test
    void rfc3261_19_1_4_notEquivalent_differentUsernames() {
        assertNotEquivalent("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP");
    }

    @Test
    void rfc3261_19_1_4_notEquivalent_canResolveToDifferentPorts() {
        assertNotEquivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060");
    }

    @Test
    void rfc3261_19_1_4_notEquivalent_canResolveToDifferentTransports() {
        assertNotEquivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp");
    }

    @Test
    void rfc3261_19_1_4_notEquivalent_canResolveToDifferentPortAndTransports() {
        assertNotEquivalent("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp");
    }

    @Test
    void rfc3261_19_1_4_notEquivalent_differentHeaderComponent() {
        assertNotEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting");
    }

    @Test
    void rfc3261_19_1_4_notEquivalent_namesAreNeverResolved() {
        assertNotEquivalent("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4");
    }

    @Test
    void rfc3261_19_1_4_notEquivalent_headersDiffer() {
        assertNotEquivalent("sip:carol@chicago.com?Subject=next%20meeting",
                "sip:carol@chicago.com?Subject=another%20meeting");
    }

    @Test
    void rfc3261_19_1_4_equivalenceIsNotTransitive() {
        assertEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5");
        assertEquivalent("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=6");
        assertNotEquivalent("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;newparam=6");
    }

    // The rules, one by one

    @Test
    void sipAndSipsNeverMatch() {
        assertNotEquivalent("sip:alice@atlanta.com", "sips:alice@atlanta.com");
    }

    @Test
    void userinfoIsCaseSensitiveAfterUnescaping() {
        assertNotEquivalent("sip:Alice@atlanta.com", "sip:alice@atlanta.com");
        assertEquivalent("sip:%41lice@atlanta.com", "sip:Alice@atlanta.com");
        assertEquivalent("sip:a%3Ab@atlanta.com", "sip:a%3ab@atlanta.com");
        assertNotEquivalent("sip:alice:PW@atlanta.com", "sip:alice:pw@atlanta.com");
        assertNotEquivalent("sip:alice:pw@atlanta.com", "sip:alice@atlanta.com");
        assertNotEquivalent("sip:atlanta.com", "sip:alice@atlanta.com");
        assertEquivalent("sip:al%69ce:p%77@atlanta.com", "sip:alice:pw@atlanta.com");
    }

    @ParameterizedTest(name = "a {0} parameter in only one URI never matches")
    @CsvSource({"user,phone", "ttl,1", "method,INVITE", "maddr,239.255.255.1", "transport,udp"})
    void parametersThatMustBeInBothOrNeither(String name, String value) {
        assertNotEquivalent("sip:alice@atlanta.com", "sip:alice@atlanta.com;" + name + "=" + value);
        assertEquivalent("sip:alice@atlanta.com;" + name + "=" + value,
                "sip:alice@atlanta.com;" + name.toUpperCase() + "=" + value.toUpperCase());
    }

    @Test
    void parametersInBothMustMatchIgnoringCaseAndEscapes() {
        assertNotEquivalent("sip:alice@atlanta.com;transport=tcp", "sip:alice@atlanta.com;transport=udp");
        assertEquivalent("sip:alice@atlanta.com;transport=%74cp", "sip:alice@atlanta.com;transport=TCP");
        assertEquivalent("sip:alice@atlanta.com;%74ransport=tcp", "sip:alice@atlanta.com;transport=tcp");
        assertNotEquivalent("sip:alice@atlanta.com;%74ransport=tcp", "sip:alice@atlanta.com");
        assertNotEquivalent("sip:alice@atlanta.com;foo=bar", "sip:alice@atlanta.com;foo=baz");
        assertNotEquivalent("sip:alice@atlanta.com;foo", "sip:alice@atlanta.com;foo=bar");
        assertEquivalent("sip:alice@atlanta.com;lr", "sip:alice@atlanta.com;LR");
        assertEquivalent("sip:alice@atlanta.com;lr", "sip:alice@atlanta.com");
    }

    @Test
    void hostsCompareIgnoringCaseAndIpv6ByValue() {
        assertEquivalent("sip:alice@ATLANTA.com", "sip:alice@atlanta.COM");
        assertEquivalent("sip:alice@[2001:db8::1]", "sip:alice@[2001:DB8:0:0:0:0:0:1]");
        assertEquivalent("sip:alice@[::ffff:192.0.2.1]", "sip:alice@[::FFFF:C000:201]");
        assertNotEquivalent("sip:alice@[::ffff:192.0.2.1]", "sip:alice@192.0.2.1");
        assertNotEquivalent("sip:alice@atlanta.com", "sip:alice@atlanta.com.");
    }

    @Test
    void headersMatchAsAMultisetWithNamesIgnoringCase() {
        assertEquivalent("sip:a@b.example?Subject=x&Subject=y", "sip:a@b.example?subject=y&SUBJECT=x");
        assertNotEquivalent("sip:a@b.example?Subject=x&Subject=x", "sip:a@b.example?Subject=x&Subject=y");
        assertNotEquivalent("sip:a@b.example?Subject=x", "sip:a@b.example?Subject=X");
        assertEquivalent("sip:a@b.example?Subject=%78", "sip:a@b.example?Subject=x");
        assertNotEquivalent("sip:a@b.example?Subject=x", "sip:a@b.example?Subject=x&Priority=urgent");
    }

    @Test
    void differentSchemesNeverMatch() {
        assertNotEquivalent("sip:+12015550123@example.com;user=phone", "tel:+1-201-555-0123");
        assertNotEquivalent("sip:alice@atlanta.com", "http://atlanta.com/alice");
        assertNotEquivalent("tel:+1-201-555-0123", "urn:service:sos");
    }

    @Test
    void otherSchemesMatchOnSchemeCaseAndExactRest() {
        assertEquivalent("HTTP://www.example.com/a", "http://www.example.com/a");
        assertNotEquivalent("http://www.example.com/a", "http://WWW.example.com/a");
        assertEquivalent("urn:service:sos", "URN:service:sos");
    }

    @Test
    void equivalenceIsReflexive() {
        for (String s : new String[] {"sip:%61lice:p%41@[::1]:5;lr;x=%41?h=%42", "tel:+1-201;ext=2;foo=b%41r",
            "tel:*1a#;phone-context=example.com", "mailto:alice@example.com"}) {
            Uri u = Uri.parse(s);
            assertThat(u.equivalentTo(u)).isTrue();
            assertThat(u.equivalentTo(Uri.parse(s))).isTrue();
        }
    }
}
