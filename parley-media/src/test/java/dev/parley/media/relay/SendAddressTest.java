package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SendAddressTest {

    @Test
    void anIpv4AddressGoesInItsIpv4MappedForm() throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("192.0.2.33"), 40002);
        SendAddress a = SendAddress.of(to);
        // RFC 4291 §2.5.5.2: ::ffff:192.0.2.33
        assertThat(a.octets()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 33);
        assertThat(a.port()).isEqualTo(40002);
        assertThat(a.scopeId()).isZero();
        assertThat(a.ipv6()).isFalse();
        assertThat(a.address()).isSameAs(to);
    }

    @Test
    void anIpv6AddressGoesAsItIsWithItsScope() throws Exception {
        Inet6Address ip = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        SendAddress a = SendAddress.of(new InetSocketAddress(ip, 5004));
        assertThat(a.octets()).isEqualTo(ip.getAddress());
        assertThat(a.scopeId()).isEqualTo(3);
        assertThat(a.port()).isEqualTo(5004);
        assertThat(a.ipv6()).isTrue();
    }
}
