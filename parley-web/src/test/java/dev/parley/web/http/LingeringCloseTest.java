package dev.parley.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** What a lingering connection is counted under; the counting itself is {@code SourceSlotsTest}'s. */
class LingeringCloseTest {
    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void ipv6SourcesAreCountedPerSlash64() throws Exception {
        InetAddress one = LingeringClose.source(new InetSocketAddress(ip("2001:db8:1:2:aaaa::1"), 443));
        InetAddress other = LingeringClose.source(new InetSocketAddress(ip("2001:db8:1:2:bbbb::7"), 443));
        assertThat(one).isEqualTo(other).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(LingeringClose.source(new InetSocketAddress(ip("2001:db8:1:3::1"), 443))).isNotEqualTo(one);
        assertThat(LingeringClose.source(new InetSocketAddress(ip("192.0.2.9"), 443))).isEqualTo(ip("192.0.2.9"));
    }
}
