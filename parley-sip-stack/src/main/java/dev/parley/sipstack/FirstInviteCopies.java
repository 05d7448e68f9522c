package dev.parley.sipstack;

import dev.parley.sip.header.Via;
import dev.parley.sip.message.SipRequest;
import java.util.concurrent.ThreadLocalRandom;

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
 * <p>It remembers a 64-bit hash of each INVITE's branch and sent-by, not the text, in two arrays made once: a ring of
 * the last {@code capacity} and an open-addressing set over them. Why: a string and a hash-set node per INVITE, kept
 * 20 s, were 65,536 × 3 objects of the live heap under load, copied by the young collections until promoted
 * (docs/benchmarks.md, fourteenth session, statecut). Two different INVITEs share a hash with a chance of about
 * 2⁻⁴⁸ while 65,536 are remembered; the only effect would be no early 100 for the second, whose transaction then
 * sends its 100 from the lane (RFC 3261 §17.2.1 is met either way). The hash is keyed per instance, so a peer
 * cannot choose branches that collide on purpose, and the worst it could win is that same lane-sent 100.
 *
 * <p>Thread-safe (one lock; over UDP only the one socket's I/O thread calls it).
 */
final class FirstInviteCopies {
    static final int DEFAULT_CAPACITY = 1 << 16;

    /** Marks a free slot of {@link #table}; a hash that comes out as this is changed to {@link #ZERO_STANDS_IN}. */
    private static final long FREE = 0;
    private static final long ZERO_STANDS_IN = 1;

    private final long seed = ThreadLocalRandom.current().nextLong() | 1;
    /** The remembered hashes in the order seen; {@link #FREE} before the ring first fills. */
    private final long[] ring;
    /** The same hashes, linear probing; at most half full. */
    private final long[] table;
    private final int mask;
    private int next;

    FirstInviteCopies(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity must be 1.." + (1 << 28) + ", was " + capacity);
        }
        ring = new long[capacity];
        table = new long[Integer.highestOneBit(capacity) * 4];
        mask = table.length - 1;
    }

    /** True the first time this INVITE (top Via branch and sent-by) is seen, and remembers it; false after. */
    synchronized boolean firstCopy(SipRequest invite) {
        Via via = invite.topVia();
        if (via == null || !via.hasRfc3261Branch()) {
            return false;
        }
        long key = hash(via.branch(), via.host(), via.port());
        if (contains(key)) {
            return false;
        }
        long forgotten = ring[next];
        if (forgotten != FREE) {
            remove(forgotten);
        }
        ring[next] = key;
        insert(key);
        next = (next + 1) % ring.length;
        return true;
    }

    /** Remembered now (tests). */
    synchronized int size() {
        int n = 0;
        for (long k : table) {
            if (k != FREE) {
                n++;
            }
        }
        return n;
    }

    private long hash(String branch, String host, int port) {
        long h = seed;
        h = mix(h, branch);
        h = (h ^ ' ') * 0x100000001B3L;
        h = mix(h, host);
        h = (h ^ port) * 0x9E3779B97F4A7C15L;
        // MurmurHash3's finaliser: every input bit reaches every output bit
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == FREE ? ZERO_STANDS_IN : h;
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L; // FNV-1a, 64-bit
        }
        return (h ^ s.length()) * 0x9E3779B97F4A7C15L;
    }

    private int home(long key) {
        return (int) (key ^ key >>> 32) & mask;
    }

    private boolean contains(long key) {
        for (int i = home(key); table[i] != FREE; i = (i + 1) & mask) {
            if (table[i] == key) {
                return true;
            }
        }
        return false;
    }

    private void insert(long key) {
        int i = home(key);
        while (table[i] != FREE) {
            i = (i + 1) & mask;
        }
        table[i] = key;
    }

    /** Removes {@code key} and moves back the entries its slot displaced (Knuth's algorithm R, linear probing). */
    private void remove(long key) {
        int i = home(key);
        while (table[i] != key) {
            if (table[i] == FREE) {
                return;
            }
            i = (i + 1) & mask;
        }
        int free = i;
        for (int j = (free + 1) & mask; table[j] != FREE; j = (j + 1) & mask) {
            int h = home(table[j]);
            // table[j] may move to the free slot unless its home lies cyclically in (free, j]
            boolean stays = free <= j ? free < h && h <= j : free < h || h <= j;
            if (!stays) {
                table[free] = table[j];
                table[j] = FREE;
                free = j;
            }
        }
        table[free] = FREE;
    }
}
