package dev.parley.rtp.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunWriter;
import dev.parley.rtp.stun.TransportAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Many browsers on one UDP port: STUN by the USERNAME's local ufrag, everything else by the selected address. */
class IceDemuxTableTest {
    private static final TransportAddress ALICE = TransportAddress.ipv4(192, 0, 2, 1, 50_000);
    private static final TransportAddress BOB = TransportAddress.ipv4(192, 0, 2, 2, 50_000);
    private static final TransportAddress MALLORY = TransportAddress.ipv4(203, 0, 113, 66, 50_000);

    private final IceDemuxTable<TransportAddress, String> table = new IceDemuxTable<>();

    private static byte[] check(String username) {
        return new Checks("x", "y", "ignored-password-22-chars").username(username).build();
    }

    private static byte[] rtp() {
        byte[] packet = new byte[172];
        RtpPacket.writeHeader(packet, 0, false, 0, 1, 160, 0x1234);
        return packet;
    }

    private static byte[] rtcp() {
        return new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
    }

    private static byte[] dtls() {
        byte[] record = new byte[13 + 10];
        record[0] = 22; // handshake
        return record;
    }

    private String route(byte[] packet, TransportAddress from) {
        return table.route(packet, 0, packet.length, from);
    }

    @Test
    void stunGoesByTheLocalUfragBeforeIntegrityWhateverTheSource() {
        assertThat(table.register("AAAA", "alice")).isTrue();
        assertThat(table.register("BBBBBBBB", "bob")).isTrue();

        assertThat(route(check("AAAA:browserA"), ALICE)).isEqualTo("alice");
        assertThat(route(check("BBBBBBBB:browserB"), ALICE)).isEqualTo("bob");
        assertThat(route(check("BBBBBBBB"), MALLORY)).as("no colon: the whole USERNAME is the ufrag").isEqualTo("bob");
        assertThat(route(check("CCCC:browserC"), ALICE)).isNull();
        assertThat(route(check("AAA:browserA"), ALICE)).as("a prefix is not the ufrag").isNull();
        assertThat(route(check("AAAAA:browserA"), ALICE)).isNull();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void mediaGoesByTheSelectedAddressOnly() {
        table.register("AAAA", "alice");
        table.register("BBBB", "bob");
        assertThat(route(rtp(), ALICE)).as("nothing selected yet").isNull();

        table.select("alice", ALICE);
        table.select("bob", BOB);
        assertThat(route(rtp(), ALICE)).isEqualTo("alice");
        assertThat(route(rtcp(), ALICE)).isEqualTo("alice");
        assertThat(route(dtls(), BOB)).isEqualTo("bob");
        assertThat(route(rtp(), MALLORY)).isNull();
        assertThat(route(rtp(), TransportAddress.ipv4(192, 0, 2, 1, 50_001))).as("the port is part of the key").isNull();
    }

    @Test
    void stunWithoutUsernameGoesByAddress() {
        table.register("AAAA", "alice");
        table.select("alice", ALICE);
        byte[] out = new byte[28];
        int n = new StunWriter().begin(out, 0, 28, StunClass.INDICATION.type(StunMessage.BINDING), new byte[12], 0)
                .fingerprint().finish();
        byte[] indication = Arrays.copyOf(out, n);
        assertThat(route(indication, ALICE)).isEqualTo("alice");
        assertThat(route(indication, BOB)).isNull();
    }

    @Test
    void rfc8445_12_1_anAdmittedAddressRoutesBeforeTheNomination() {
        table.register("AAAA", "alice");
        table.admit("alice", ALICE); // its first check authenticated; Chromium's ClientHello follows at once
        assertThat(route(dtls(), ALICE)).isEqualTo("alice");
        assertThat(table.selected("alice")).isNull();
        table.select("alice", ALICE);
        assertThat(table.selected("alice")).isEqualTo(ALICE);
        assertThat(table.addresses("alice")).isEqualTo(1);
    }

    @Test
    void aNewSelectionKeepsTheOtherValidAddresses() {
        table.register("AAAA", "alice");
        table.select("alice", ALICE);
        table.select("alice", MALLORY);
        assertThat(route(rtp(), ALICE)).as("still a valid pair").isEqualTo("alice");
        assertThat(route(rtp(), MALLORY)).isEqualTo("alice");
        assertThat(table.selected("alice")).isEqualTo(MALLORY);

        table.register("BBBB", "bob");
        table.select("bob", MALLORY); // the same browser port, now checking with bob's credentials
        assertThat(route(rtp(), MALLORY)).isEqualTo("bob");
        assertThat(table.selected("alice")).isNull();
        assertThat(table.addresses("alice")).isEqualTo(1);
    }

    @Test
    void eachEndpointKeepsBoundedAddressesAndNeverDropsTheSelectedOne() {
        IceDemuxTable<TransportAddress, String> small = new IceDemuxTable<>(3);
        small.register("AAAA", "alice");
        small.select("alice", ALICE);
        for (int i = 0; i < 10; i++) {
            small.admit("alice", TransportAddress.ipv4(10, 0, 0, i, 4000));
        }
        assertThat(small.addresses("alice")).isEqualTo(3);
        assertThat(small.route(rtp(), 0, 172, ALICE)).isEqualTo("alice");
        assertThat(small.route(rtp(), 0, 172, TransportAddress.ipv4(10, 0, 0, 9, 4000))).isEqualTo("alice");
        assertThat(small.route(rtp(), 0, 172, TransportAddress.ipv4(10, 0, 0, 0, 4000))).isNull();
    }

    @Test
    void ufragsAreUniqueAndRemoveForgetsEverything() {
        assertThat(table.register("AAAA", "alice")).isTrue();
        assertThat(table.register("AAAA", "bob")).isFalse();
        assertThat(table.register("ZZZZ", "alice")).as("one ufrag per endpoint").isFalse();
        table.select("alice", ALICE);
        table.admit("alice", BOB);

        table.remove("alice");
        assertThat(route(rtp(), BOB)).isNull();
        assertThat(route(check("AAAA:x"), ALICE)).isNull();
        assertThat(route(rtp(), ALICE)).isNull();
        assertThat(table.size()).isZero();
        assertThat(table.register("AAAA", "bob")).isTrue();
    }

    @Test
    void whatNoEndpointOwnsIsDropped() {
        table.register("AAAA", "alice");
        table.select("alice", ALICE);
        assertThat(route(new byte[0], ALICE)).isNull();
        assertThat(route(new byte[] {16, 0, 0, 0}, ALICE)).as("ZRTP").isNull();
        assertThat(route(new byte[] {64, 0, 0, 4, 1, 2, 3, 4}, ALICE)).as("TURN channel data").isNull();
        assertThat(route(new byte[] {(byte) 0xFF, 1}, ALICE)).isNull();
        byte[] broken = check("AAAA:x");
        broken[broken.length - 1] ^= 1; // FINGERPRINT wrong: not STUN
        assertThat(route(broken, ALICE)).isNull();
    }
}
