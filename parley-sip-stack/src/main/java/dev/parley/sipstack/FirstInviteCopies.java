package dev.parley.sipstack;

import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipRequest;
import java.util.HashSet;
import java.util.Set;

/**
 * Which INVITEs the transport side has seen lately, by their top Via's branch and sent-by: the SIP stack sends an
 * early 100 Trying from the I/O thread only for the first copy of an INVITE it reads.
 *
 * <p>Why only the first: a 100 stops the caller's INVITE retransmissions (RFC 3261 §17.1.1.2). Sent for the first
 * copy it leaves before the lane has looked at the INVITE, so before any final response (a 407, a 486) and before the
 * caller can have sent a next INVITE. Sent for a retransmission it could leave after the lane's final response and
 * after the caller's next INVITE (a new branch, the authenticated one): a UAC that matches responses loosely (sipp
 * waits by step, not by CSeq) takes it for that INVITE's 100 and stops retransmitting one Parley may never have
 * received (the kernel drops datagrams when the socket's buffer overflows), and the call hangs (docs/benchmarks.md,
 * 7 December, ninth session, coldstart: 69 and 190 calls). A retransmission therefore goes to its lane as before,
 * where the INVITE server transaction answers it with its last response (§17.2.1).
 *
 * <p>Bounded: it remembers the last {@code capacity} INVITEs (first in, first forgotten). 65,536 is 20 s of 1,600
 * calls/s with two INVITEs each; a retransmission later than that (T1 doubled: 0.5, 1, 2, 4, 8, 16 s) of an INVITE
 * forgotten meanwhile is taken for a first copy again. An INVITE without an RFC 3261 branch is never a first copy
 * here (no early 100; its transaction sends the 100 on the lane).
 *
 * <p>Thread-safe (one lock; over UDP only the one socket's I/O thread calls it).
 */
final class FirstInviteCopies {
    static final int DEFAULT_CAPACITY = 1 << 16;

    private final String[] ring;
    private final Set<String> seen;
    private int next;

    FirstInviteCopies(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        ring = new String[capacity];
        seen = HashSet.newHashSet(capacity);
    }

    /** True the first time this INVITE (top Via branch and sent-by) is seen, and remembers it; false after. */
    synchronized boolean firstCopy(SipRequest invite) {
        Via via = invite.topVia();
        if (via == null || !via.hasRfc3261Branch()) {
            return false;
        }
        String key = via.branch() + ' ' + via.host() + ':' + via.port();
        if (!seen.add(key)) {
            return false;
        }
        String forgotten = ring[next];
        if (forgotten != null) {
            seen.remove(forgotten);
        }
        ring[next] = key;
        next = (next + 1) % ring.length;
        return true;
    }
}
