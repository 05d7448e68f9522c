package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SenderCacheTest {
    /** recvmsg's sender field as NativeReceive hands it over: 16 octets, of which {@code length} are the address. */
    private static byte[] field(int... octets) {
        byte[] field = new byte[16];
        for (int i = 0; i < octets.length; i++) {
            field[i] = (byte) octets[i];
        }
        return field;
    }

    @Test
    void aLiveSourceGetsTheSameAddressObjectForEveryDatagram() throws Exception {
        SenderCache cache = new SenderCache();
        InetSocketAddress first = cache.resolve(field(192, 0, 2, 10), 4, 0, 4000);
        assertThat(first).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 4000));
        assertThat(cache.resolve(field(192, 0, 2, 10), 4, 0, 4000)).isSameAs(first);
    }

    @Test
    void aStrangerBetweenThePeersDatagramsDoesNotCostThePeerItsObject() {
        SenderCache cache = new SenderCache();
        InetSocketAddress peer = cache.resolve(field(192, 0, 2, 10), 4, 0, 4000);
        InetSocketAddress stranger = cache.resolve(field(198, 51, 100, 7), 4, 0, 4000);
        assertThat(stranger).isNotEqualTo(peer);
        assertThat(cache.resolve(field(192, 0, 2, 10), 4, 0, 4000)).isSameAs(peer);
        assertThat(cache.resolve(field(198, 51, 100, 7), 4, 0, 4000)).isSameAs(stranger);
        // a third source evicts the one heard least recently (the peer, here), not the other
        InetSocketAddress third = cache.resolve(field(203, 0, 113, 1), 4, 0, 4000);
        assertThat(cache.resolve(field(198, 51, 100, 7), 4, 0, 4000)).isSameAs(stranger);
        assertThat(cache.resolve(field(203, 0, 113, 1), 4, 0, 4000)).isSameAs(third);
        InetSocketAddress peerAgain = cache.resolve(field(192, 0, 2, 10), 4, 0, 4000);
        assertThat(peerAgain).isEqualTo(peer).isNotSameAs(peer);
    }

    @Test
    void portScopeAndEveryOctetTellSourcesApart() throws Exception {
        SenderCache cache = new SenderCache();
        InetSocketAddress v4 = cache.resolve(field(192, 0, 2, 10), 4, 0, 4000);
        assertThat(cache.resolve(field(192, 0, 2, 10), 4, 0, 4001)).isNotEqualTo(v4);
        byte[] v6 = field(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        InetSocketAddress global = cache.resolve(v6, 16, 0, 4000);
        assertThat(global).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 4000));
        byte[] last = field(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(cache.resolve(last, 16, 0, 4000)).isNotEqualTo(global);
        byte[] first = field(0x30, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(cache.resolve(first, 16, 0, 4000)).isNotEqualTo(global);
        byte[] linkLocal = field(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        InetSocketAddress scoped = cache.resolve(linkLocal, 16, 2, 4000);
        assertThat(cache.resolve(linkLocal, 16, 2, 4000)).isSameAs(scoped);
        assertThat(cache.resolve(linkLocal, 16, 3, 4000)).isNotSameAs(scoped);
        // an IPv4 address is not the IPv6 address with the same leading octets
        assertThat(cache.resolve(field(0x20, 0x01, 0x0d, 0xb8), 4, 0, 4000).getAddress().getAddress()).hasSize(4);
    }

    @Test
    void senderFieldsOfNeitherLengthAreNoAddress() {
        SenderCache cache = new SenderCache();
        InetSocketAddress peer = cache.resolve(field(192, 0, 2, 10), 4, 0, 4000);
        assertThat(cache.resolve(field(192, 0, 2, 10), 0, 0, 4000)).isNull();
        assertThat(cache.resolve(field(192, 0, 2, 10), 8, 0, 4000)).isNull();
        assertThat(cache.resolve(field(192, 0, 2, 10), 4, 0, 4000)).isSameAs(peer);
    }
}
