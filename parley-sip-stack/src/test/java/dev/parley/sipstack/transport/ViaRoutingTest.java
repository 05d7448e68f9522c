package dev.parley.sipstack.transport;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipLimits;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** RFC 3261 §18.2.1/§18.2.2 and RFC 3581 without sockets. */
class ViaRoutingTest {

    private static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void rfc3261_18_2_1_aMatchingIpSentByIsLeftAlone() throws Exception {
        Via via = Via.parse("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1");
        assertThat(ViaRouting.stamp(via, addr("192.0.2.1", 40000))).isSameAs(via);
    }

    @Test
    void rfc3261_18_2_1_aHostNameOrOtherAddressGetsReceived() throws Exception {
        assertThat(ViaRouting.stamp(Via.parse("SIP/2.0/UDP phone.example.com;branch=z9hG4bK1"),
                addr("192.0.2.9", 5060)).received()).isEqualTo("192.0.2.9");
        assertThat(ViaRouting.stamp(Via.parse("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1"),
                addr("192.0.2.9", 5060)).received()).isEqualTo("192.0.2.9");
    }

    @Test
    void rfc3581_4_rportAlwaysAddsReceived() throws Exception {
        Via v = ViaRouting.stamp(Via.parse("SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1"),
                addr("192.0.2.1", 40123));
        assertThat(v.received()).isEqualTo("192.0.2.1");
        assertThat(v.rport()).isEqualTo(40123);
        assertThat(v.toString()).isEqualTo("SIP/2.0/UDP 192.0.2.1:5060;rport=40123;branch=z9hG4bK1;received=192.0.2.1");
    }

    @Test
    void rfc5118_ipv6ReceivedHasNoBrackets_andEqualAddressesCompareCanonically() throws Exception {
        Via v = ViaRouting.stamp(Via.parse("SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1"), addr("2001:db8::2", 5060));
        assertThat(v.received()).isEqualTo("2001:db8:0:0:0:0:0:2");
        Via same = Via.parse("SIP/2.0/UDP [2001:DB8:0::1];branch=z9hG4bK1");
        assertThat(ViaRouting.stamp(same, addr("2001:db8::1", 5060))).isSameAs(same);
    }

    @Test
    void rfc3261_18_2_2_udpTargets() throws Exception {
        InetSocketAddress src = addr("192.0.2.1", 40000);
        assertThat(ViaRouting.udpResponseTarget(Via.parse("SIP/2.0/UDP 198.51.100.1:5070;rport=40000;branch=z9hG4bK"),
                src, 5060)).isEqualTo(src);
        // the sent-by port, at the source address: never the sent-by host
        assertThat(ViaRouting.udpResponseTarget(Via.parse("SIP/2.0/UDP 198.51.100.1:5070;branch=z9hG4bK"), src, 5060))
                .isEqualTo(addr("192.0.2.1", 5070));
        assertThat(ViaRouting.udpResponseTarget(Via.parse("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK"), src, 5060))
                .isEqualTo(addr("192.0.2.1", 5060));
    }

    @Test
    void rfc4475_3_1_2_1_anUnparsableTopViaStillGetsItsErrorResponse() throws Exception {
        byte[] request = ("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n"
                + "To: <sip:bob@example.com>\r\nFrom: <sip:alice@example.net>;tag=1\r\nCall-ID: badvia1\r\n"
                + "CSeq: 8 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(US_ASCII);
        ParseResult.Malformed m = (ParseResult.Malformed) new SipParser(SipLimits.DEFAULT)
                .parseDatagram(request, 0, request.length);
        SipResponse answer = m.errorResponse().orElseThrow();
        assertThatThrownBy(() -> ViaRouting.prepareErrorResponse(answer, addr("192.0.2.15", 5060)))
                .isInstanceOf(RuntimeException.class);

        SipResponse r = ViaRouting.prepareUnroutableErrorResponse(answer);
        assertThat(new String(SipSerializer.serialize(r), US_ASCII)).startsWith("SIP/2.0 400 ")
                .contains("Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n").contains("Call-ID: badvia1\r\n");
        assertThat(r.to().tag()).isNotEmpty(); // RFC 3261 §8.2.6.2
    }
}
