package dev.parley.sipstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.uri.Uri;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which INVITEs the transport side has seen: the first copy of each, the last {@code capacity} remembered. */
class FirstInviteCopiesTest {

    private static SipRequest invite(String branch, String host, int port) {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of("UDP", host, port, branch))
                .maxForwards(70)
                .to(Address.parse("<sip:bob@biloxi.example.com>"))
                .from(Address.parse("<sip:alice@atlanta.example.com>;tag=1"))
                .callId("c-" + branch)
                .cseq(new CSeq(1, SipMethod.INVITE))
                .build();
    }

    @Test
    void onlyTheFirstCopyOfAnInviteIsFirst_branchAndSentByTellThemApart() {
        FirstInviteCopies copies = new FirstInviteCopies(16);
        assertThat(copies.firstCopy(invite("z9hG4bK1", "127.0.0.1", 5060))).isTrue();
        assertThat(copies.firstCopy(invite("z9hG4bK1", "127.0.0.1", 5060))).isFalse();
        assertThat(copies.firstCopy(invite("z9hG4bK1", "127.0.0.1", 5061))).isTrue(); // another sent-by
        assertThat(copies.firstCopy(invite("z9hG4bK1", "127.0.0.2", 5060))).isTrue();
        assertThat(copies.firstCopy(invite("z9hG4bK2", "127.0.0.1", 5060))).isTrue();
        assertThat(copies.firstCopy(invite("z9hG4bK2", "127.0.0.1", 5060))).isFalse();
        // an RFC 2543 INVITE (no magic cookie) is never taken for a first copy: its transaction sends the 100
        assertThat(copies.firstCopy(invite("1234", "127.0.0.1", 5060))).isFalse();
    }

    @Test
    void theOldestIsForgottenFirst() {
        FirstInviteCopies copies = new FirstInviteCopies(3);
        for (int i = 0; i < 3; i++) {
            assertThat(copies.firstCopy(invite("z9hG4bK" + i, "h", 5060))).isTrue();
        }
        assertThat(copies.firstCopy(invite("z9hG4bK3", "h", 5060))).isTrue(); // forgets z9hG4bK0
        assertThat(copies.firstCopy(invite("z9hG4bK1", "h", 5060))).isFalse();
        assertThat(copies.firstCopy(invite("z9hG4bK0", "h", 5060))).isTrue(); // forgotten: first again; forgets 1
        assertThat(copies.firstCopy(invite("z9hG4bK1", "h", 5060))).isTrue();
        assertThat(copies.size()).isEqualTo(3);
    }

    @Test
    void agreesWithARingOfStringsOverManyInvites() {
        // the former implementation as the model: a ring and a set of "branch host:port"; retransmissions mixed in
        int capacity = 100;
        FirstInviteCopies copies = new FirstInviteCopies(capacity);
        ArrayDeque<String> ring = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        Random random = new Random(4711);
        for (int i = 0; i < 50_000; i++) {
            int n = random.nextInt(300); // recent branches come back often, old ones were forgotten
            String branch = "z9hG4bK" + Integer.toString(Math.max(0, i / 3 - n), 36);
            int port = 5060 + random.nextInt(2);
            String key = branch + ' ' + "10.0.0.1:" + port;
            boolean expected = seen.add(key);
            if (expected) {
                ring.addLast(key);
                if (ring.size() > capacity) {
                    seen.remove(ring.removeFirst());
                }
            }
            assertThat(copies.firstCopy(invite(branch, "10.0.0.1", port))).as("INVITE %d, %s", i, key)
                    .isEqualTo(expected);
        }
        assertThat(copies.size()).isEqualTo(capacity);
    }
}
