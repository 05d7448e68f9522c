package dev.parley.rtp.srtp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The working memory of SRTP's AES-CM and HMAC-SHA1 on one thread, shared by every context on it: counter blocks,
 * keystream, the SHA-1 digest and its intermediate results. A relay runs thousands of contexts on one event loop
 * and gets each context's next packet only after all the others': whatever a context owns is cold in the CPU
 * caches by then (a miss per cache line it touches), while this stays warm. So a context keeps only its keys and
 * salts, and all the bytes a packet's transform writes on the side live here. Fetched once per packet.
 */
final class ThreadScratch {
    private static final ThreadLocal<ThreadScratch> CURRENT = ThreadLocal.withInitial(ThreadScratch::new);

    /** AES input: the counter blocks IV + j (RFC 3711 §4.1.1); grows only for a packet larger than any before. */
    byte[] counters = new byte[2048];
    /** AES output: the keystream for those blocks. */
    byte[] keystream = new byte[2048];
    final MessageDigest sha1;
    /** The same SHA-1 with settable state, for HMAC from pad states primed per key; null where unavailable. */
    final PrimedSha1 primed = PrimedSha1.createOrNull();
    /** HMAC's padded key block (RFC 2104 §2: K XOR ipad, then K XOR opad), wiped after each HMAC. */
    final byte[] pad = new byte[64];
    /** HMAC's inner hash (RFC 2104). */
    final byte[] inner = new byte[HmacSha1.LENGTH];
    /** The HMAC result, of which the first 10 (or 4) octets are the SRTP tag. */
    final byte[] digest = new byte[HmacSha1.LENGTH];
    /** The 32-bit ROC appended to the authenticated portion of an SRTP packet (RFC 3711 §4.2). */
    final byte[] roc = new byte[4];

    private ThreadScratch() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-1, which every Java SE runtime provides", e);
        }
    }

    static ThreadScratch current() {
        return CURRENT.get();
    }

    /** Makes the AES arrays hold at least {@code bytes} octets. */
    void ensureAesCapacity(int bytes) {
        if (counters.length < bytes) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
    }
}
