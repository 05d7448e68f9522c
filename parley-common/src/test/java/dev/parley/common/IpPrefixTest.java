package dev.parley.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    private static InetAddress ip(String numeric) throws Exception {
        return InetAddress.getByName(numeric); // numeric: no lookup
    }

    @Test
    void anIpv4SourceIsItsHost() throws Exception {
        InetAddress a = ip("192.0.2.9");
        assertThat(IpPrefix.ofSource(a)).isSameAs(a);
        assertThat(IpPrefix.ofSource(ip("192.0.2.10"))).isNotEqualTo(IpPrefix.ofSource(a));
    }

    @Test
    void rfc4291_2_5_4_anIpv6SourceIsItsSlash64() throws Exception {
        InetAddress one = IpPrefix.ofSource(ip("2001:db8:1:2:aaaa::1"));
        InetAddress other = IpPrefix.ofSource(ip("2001:db8:1:2:bbbb:cccc:dddd:7"));
        assertThat(one).isInstanceOf(Inet6Address.class).isEqualTo(other).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(IpPrefix.ofSource(ip("2001:db8:1:3::1"))).as("the next /64").isNotEqualTo(one);
        assertThat(IpPrefix.ofSource(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isEqualTo(one);
        assertThat(IpPrefix.ofSource(ip("::1"))).isEqualTo(ip("::"));
    }

    @Test
    void anIpv4MappedAddressIsCountedAsItsIpv4Host() throws Exception {
        InetAddress mapped = ip("::ffff:192.0.2.9");
        assertThat(mapped).as("the JDK hands it out as IPv4").isInstanceOf(Inet4Address.class);
        assertThat(IpPrefix.ofSource(mapped)).isEqualTo(ip("192.0.2.9"));
    }

    @Test
    void maskClearsTheBitsPastThePrefix() throws Exception {
        assertThat(IpPrefix.mask(ip("10.1.2.3"), 12)).isEqualTo(ip("10.0.0.0"));
        assertThat(IpPrefix.mask(ip("10.31.2.3"), 12)).isEqualTo(ip("10.16.0.0"));
        assertThat(IpPrefix.mask(ip("192.0.2.255"), 32)).isEqualTo(ip("192.0.2.255"));
        assertThat(IpPrefix.mask(ip("192.0.2.255"), 0)).isEqualTo(ip("0.0.0.0"));
        assertThat(IpPrefix.mask(ip("2001:db8:ffff:1::1"), 35)).isEqualTo(ip("2001:db8:e000::"));
        assertThat(IpPrefix.mask(ip("2001:db8::1"), 128)).isEqualTo(ip("2001:db8::1"));
    }

    @Test
    void aPrefixLongerThanTheAddressIsRefused() throws Exception {
        assertThatThrownBy(() -> IpPrefix.mask(ip("192.0.2.1"), 33)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of 0-32");
        assertThatThrownBy(() -> IpPrefix.mask(ip("::1"), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of 0-128");
    }
}
