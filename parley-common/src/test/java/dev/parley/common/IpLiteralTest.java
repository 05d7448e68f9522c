package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpLiteralTest {

    @Test
    void ipv4LiteralsAreReadByteForByte() throws Exception {
        assertThat(IpLiteral.parse("192.0.2.10")).contains(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10}));
        assertThat(IpLiteral.parse("0.0.0.0")).map(InetAddress::isAnyLocalAddress).contains(true);
        assertThat(IpLiteral.parse("255.255.255.255")).map(InetAddress::getAddress)
                .contains(new byte[] {-1, -1, -1, -1});
        assertThat(IpLiteral.parse("10.0.100.1")).map(InetAddress::getHostAddress).contains("10.0.100.1");
    }

    @Test
    void ipv6LiteralsBareBracketedOrWithAZone() {
        assertThat(IpLiteral.parse("2001:db8::1")).map(InetAddress::getHostAddress).contains("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiteral.parse("[2001:db8::1]")).map(InetAddress::getHostAddress).contains("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiteral.parse("fe80::1%eth0")).map(InetAddress::getHostAddress).contains("fe80:0:0:0:0:0:0:1");
        assertThat(IpLiteral.parse("::1")).map(InetAddress::isLoopbackAddress).contains(true);
        assertThat(IpLiteral.parse("::ffff:192.0.2.7")).get().isInstanceOf(Inet4Address.class)
                .extracting(InetAddress::getHostAddress).isEqualTo("192.0.2.7");
    }

    @Test
    void namesAndMalformedLiteralsAreNotAddresses() {
        for (String text : List.of("phone.example.com", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "999.1.1.1",
                "010.0.0.1", "1.2.3.04", "1.2.3.4.", ".1.2.3", "1..2.3", "0x1.2.3.4", "1.2.3.4:5060", "[]", "[::1",
                ".:1", "g::1", "2001:db8::1::2", "12345::1", "abc:def:ghi", "", " ", "[192.0.2.1", "1.2.3.-4")) {
            assertThat(IpLiteral.parse(text)).as("'%s'", text).isEmpty();
        }
        assertThat(IpLiteral.parse(null)).isEmpty();
    }

    @Test
    void noInputEverReachesTheResolver() {
        List<String> inputs = List.of("999.1.1.1", "256.1.1.1", "010.0.0.1", "g::1", "phone.example.com",
                "abc:def:ghi", "2001:db8::1::2", "1.2.3", "[::1", "localhost", "192.0.2.10", "2001:db8::1",
                "fe80::1%zz", "::ffff:192.0.2.7", "x");
        // the recorder is this JVM's resolver: a lookup it sees is one the code made
        assertThatThrownBy(() -> InetAddress.getByName("resolver-check.invalid"))
                .isInstanceOf(UnknownHostException.class);
        assertThat(RecordingResolverProvider.LOOKUPS).contains("resolver-check.invalid");

        RecordingResolverProvider.offline = true; // nothing leaves this JVM, whatever happens
        try {
            RecordingResolverProvider.LOOKUPS.clear();
            inputs.forEach(IpLiteral::parse);
            assertThat(RecordingResolverProvider.LOOKUPS).as("names sent to the resolver").isEmpty();
            // while InetAddress.getByName, which IpLiteral stands in front of, looks this one up
            assertThatThrownBy(() -> InetAddress.getByName("999.1.1.1")).isInstanceOf(UnknownHostException.class);
            assertThat(RecordingResolverProvider.LOOKUPS).containsExactly("999.1.1.1");
        } finally {
            RecordingResolverProvider.offline = false;
        }
    }
}
