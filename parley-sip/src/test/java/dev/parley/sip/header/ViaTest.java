package dev.parley.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.text.SipSyntaxException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Via (RFC 3261 §20.42), with rport (RFC 3581) and IPv6 sent-by (RFC 5118). */
class ViaTest {

    private static Via roundTrip(Via via) {
        Via again = Via.parse(via.toString());
        assertThat(again).isEqualTo(via);
        assertThat(again.toString()).isEqualTo(via.toString());
        return via;
    }

    @Test
    void rfc3261_20_42_firstExample() {
        Via v = roundTrip(Via.parse("SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7"));
        assertThat(v.protocolName()).isEqualTo("SIP");
        assertThat(v.protocolVersion()).isEqualTo("2.0");
        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("erlang.bell-telephone.com");
        assertThat(v.port()).isEqualTo(5060);
        assertThat(v.branch()).isEqualTo("z9hG4bK87asdks7");
        assertThat(v.hasRfc3261Branch()).isTrue();
        assertThat(v.received()).isNull();
        assertThat(v).hasToString("SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7");
    }

    @Test
    void rfc3261_20_42_secondExampleWithReceived() {
        Via v = roundTrip(Via.parse("SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207 ;branch=z9hG4bK77asjd"));
        assertThat(v.host()).isEqualTo("192.0.2.1");
        assertThat(v.received()).isEqualTo("192.0.2.207");
        assertThat(v.branch()).isEqualTo("z9hG4bK77asjd");
        assertThat(v).hasToString("SIP/2.0/UDP 192.0.2.1:5060;received=192.0.2.207;branch=z9hG4bK77asjd");
    }

    @Test
    void rfc3261_20_42_compactExampleWithSpacesAroundSlashAndColon() {
        Via v = roundTrip(Via.parse(
                "SIP / 2.0 / UDP first.example.com: 4000;ttl=16 ;maddr=224.2.0.1 ;branch=z9hG4bKa7c6a8dlze.1"));
        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("first.example.com");
        assertThat(v.port()).isEqualTo(4000);
        assertThat(v.maddr()).isEqualTo("224.2.0.1");
        assertThat(v.parameters().value("ttl")).isEqualTo("16");
        assertThat(v).hasToString(
                "SIP/2.0/UDP first.example.com:4000;ttl=16;maddr=224.2.0.1;branch=z9hG4bKa7c6a8dlze.1");
    }

    @Test
    void rfc3261_7_3_1_whitespaceAroundSlashesAndParameterSeparators() {
        Via v = roundTrip(Via.parse("SIP  / 2.0  / TCP host ; branch = x"));
        assertThat(v.transport()).isEqualTo("TCP");
        assertThat(v.host()).isEqualTo("host");
        assertThat(v.port()).isEqualTo(-1);
        assertThat(v.branch()).isEqualTo("x");
        assertThat(v.hasRfc3261Branch()).isFalse();
        assertThat(v).hasToString("SIP/2.0/TCP host;branch=x");
    }

    @Test
    void rfc3581_3_rportWithoutValueInARequest() {
        Via v = roundTrip(Via.parse("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff"));
        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(-1);
    }

    @Test
    void rfc3581_4_serverFillsInReceivedAndRport() {
        Via v = roundTrip(Via.parse("SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff"));
        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(9988);
        assertThat(v.received()).isEqualTo("192.0.2.1");
    }

    @Test
    void rfc3581_withParameterFillsInTheRequestedRport() {
        Via v = Via.parse("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff")
                .withParameter("received", "192.0.2.1").withParameter("rport", "9988");
        assertThat(v).hasToString("SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1");
        roundTrip(v);
    }

    @Test
    void rfc3581_4_rportThatIsNotAPortReadsAsAbsent() {
        assertThat(Via.parse("SIP/2.0/UDP h;rport=65535").rport()).isEqualTo(65535);
        assertThat(Via.parse("SIP/2.0/UDP h;rport=99999").rport()).isEqualTo(-1);
        assertThat(Via.parse("SIP/2.0/UDP h;rport=\"5060\"").rport()).isEqualTo(-1);
        // Arabic-Indic digits are not DIGIT
        Via arabic = Via.of("UDP", "h", -1, "z9hG4bK1").withParameter("rport", "\u0665\u0660\u0666\u0660");
        assertThat(arabic.rport()).isEqualTo(-1);
        assertThat(arabic.hasRport()).isTrue();
    }

    @Test
    void rfc5118_4_5_ipv6SentByAndReceived() {
        Via v = roundTrip(Via.parse("SIP/2.0/UDP [2001:db8::9:1]:5060;received=[2001:db8::9:255];branch=z9hG4bKas3-111"));
        assertThat(v.host()).isEqualTo("[2001:db8::9:1]");
        assertThat(v.port()).isEqualTo(5060);
        assertThat(v.received()).isEqualTo("[2001:db8::9:255]");
    }

    @Test
    void rfc5118_ipv6SentByWithoutPort() {
        Via v = roundTrip(Via.parse("SIP/2.0/TCP [2001:db8::1];branch=z9hG4bK1"));
        assertThat(v.host()).isEqualTo("[2001:db8::1]");
        assertThat(v.port()).isEqualTo(-1);
    }

    @Test
    void rfc3261_7_3_1_aViaLineMayCarrySeveralValues() {
        List<Via> vias = HeaderType.VIA.parseList(
                "SIP/2.0/UDP a.example.com;branch=z9hG4bK1 , SIP/2.0/TCP b.example.com:5061;branch=z9hG4bK2");
        assertThat(vias).extracting(Via::host).containsExactly("a.example.com", "b.example.com");
        assertThat(vias).extracting(Via::branch).containsExactly("z9hG4bK1", "z9hG4bK2");
    }

    @Test
    void ofBuildsASip20Via() {
        Via v = Via.of("WSS", "df7jal23ls0d.invalid", -1, "z9hG4bKabc");
        assertThat(v).hasToString("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKabc");
        roundTrip(v);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SIP/2.0/UDP",                          // no sent-by
        "SIP/2.0/UDPhost",                      // no LWS before sent-by
        "SIP/2.0 UDP host",                     // missing slash
        "SIP/2.0/UDP host:99999",               // port out of range
        "SIP/2.0/UDP host:",                    // empty port
        "SIP/2.0/UDP [2001:db8::1;branch=x",    // unterminated IPv6 reference
        "SIP/2.0/UDP host;branch=x junk",       // trailing garbage
        "SIP/2.0/UDP host;=x",                  // parameter without a name
    })
    void malformedViaIsASyntaxError(String value) {
        assertThatThrownBy(() -> Via.parse(value)).isInstanceOf(SipSyntaxException.class);
    }
}
