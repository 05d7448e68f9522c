package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The UDP socket's flows: one per remote address while in use, bounded whatever the sources. */
class UdpFlowsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void oneFlowPerRemoteAddress() throws Exception {
        UdpFlows flows = UdpFlows.of(channel);
        assertThat(UdpFlows.of(channel)).isSameAs(flows);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        UdpFlow a = flows.to(new InetSocketAddress(loopback, 5060));
        assertThat(flows.to(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5060))).isSameAs(a);
        UdpFlow b = flows.to(new InetSocketAddress(loopback, 5061));
        assertThat(b).isNotSameAs(a).isNotEqualTo(a);
        assertThat(b.remoteAddress().getPort()).isEqualTo(5061);
        assertThat(flows.to(new InetSocketAddress(loopback, 5060))).isSameAs(a);
        assertThat(a.id()).isEqualTo("udp-127.0.0.1:5060");
    }

    @Test
    void manyPeersStillEachGetTheirOwnAddress_theCacheStaysBounded() throws Exception {
        UdpFlows flows = UdpFlows.of(channel);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Set<UdpFlow> made = new HashSet<>();
        for (int port = 1024; port < 1024 + 4 * UdpFlows.SLOTS; port++) {
            InetSocketAddress remote = new InetSocketAddress(loopback, port);
            UdpFlow f = flows.to(remote);
            assertThat(f.remoteAddress()).isEqualTo(remote);
            made.add(f);
        }
        // every flow is equal only to flows of its own address, and an evicted address gets an equal flow again
        assertThat(made).hasSize(4 * UdpFlows.SLOTS);
        assertThat(flows.to(new InetSocketAddress(loopback, 1024))).isIn(made);
    }
}
