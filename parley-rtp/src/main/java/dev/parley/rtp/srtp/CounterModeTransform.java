package dev.parley.rtp.srtp;

import java.util.Arrays;

/**
 * AES_CM_128 encryption with HMAC-SHA1 authentication (RFC 3711 §4.1.1, §4.2.1): {@code AES_CM_128_HMAC_SHA1_80}
 * and {@code _32}. SRTP tags are 10 or 4 octets; SRTCP tags are always 10 (RFC 4568 §6.2.1, RFC 3711 §5.2).
 *
 * <pre>
 * SRTP:  | header | encrypted payload | tag (HMAC over header, payload and ROC) |
 * SRTCP: | first 8 octets | encrypted rest | E | SRTCP index | tag (HMAC over all before it) |
 * </pre>
 */
final class CounterModeTransform extends PacketTransform {
    private final int rtpTagLength;
    private final AesCounterMode rtpCipher;
    // The RTP cipher's JDK counter mode and what its stub reads (the JdkAesCtr's parts), or null on the AES/ECB
    // path: held here as well, so that a relayed packet reaches them from this object in one step rather than
    // through rtpCipher (every object on a packet's way is a likely cache miss in a relay of thousands of calls).
    private final Object rtpCtr;
    private final byte[] rtpCounter;
    private final byte[] rtpEncryptedCounter;
    private final Object rtpAes;
    private final int[] rtpRoundKeys;
    private final AesCounterMode rtcpCipher;
    // The 112-bit session salts as the high and low 64 bits of a 128-bit IV (octets 14 and 15 zero): fields of
    // this object rather than arrays of their own, so a packet touches one cache line less of a cold context.
    private final long rtpSaltHigh;
    private final long rtpSaltLow;
    private final long rtcpSaltHigh;
    private final long rtcpSaltLow;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    // The RTP HMAC's primed SHA-1 states (RFC 2104 §4, see HmacSha1), copied here: a relayed packet then reads
    // them from this object, next to the salts, instead of from a HmacSha1 of its own (one cold object fewer).
    // Key-equivalent secrets, like the keys the other objects hold; never shown (no toString here).
    private final boolean rtpPrimed;
    private final int rtpInner0;
    private final int rtpInner1;
    private final int rtpInner2;
    private final int rtpInner3;
    private final int rtpInner4;
    private final int rtpOuter0;
    private final int rtpOuter1;
    private final int rtpOuter2;
    private final int rtpOuter3;
    private final int rtpOuter4;

    CounterModeTransform(SrtpProfile profile, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth, byte[] rtcpKey,
            byte[] rtcpSalt, byte[] rtcpAuth) {
        this.rtpTagLength = profile.rtpTagLength();
        JdkAesCtr rtpJdk = JdkAesCtr.createOrNull(rtpKey);
        this.rtpCipher = new AesCounterMode(rtpJdk, rtpKey);
        this.rtpCtr = rtpJdk == null ? null : rtpJdk.ctr;
        this.rtpCounter = rtpJdk == null ? null : rtpJdk.counter;
        this.rtpEncryptedCounter = rtpJdk == null ? null : rtpJdk.encryptedCounter;
        this.rtpAes = rtpJdk == null ? null : rtpJdk.aes;
        this.rtpRoundKeys = rtpJdk == null ? null : rtpJdk.roundKeys;
        this.rtcpCipher = new AesCounterMode(rtcpKey);
        this.rtpSaltHigh = octets(rtpSalt, 0, 8);
        this.rtpSaltLow = octets(rtpSalt, 8, 6);
        this.rtcpSaltHigh = octets(rtcpSalt, 0, 8);
        this.rtcpSaltLow = octets(rtcpSalt, 8, 6);
        this.rtpMac = new HmacSha1(rtpAuth);
        this.rtcpMac = new HmacSha1(rtcpAuth);
        int[] states = new int[10];
        this.rtpPrimed = rtpMac.primedStates(states);
        this.rtpInner0 = states[0];
        this.rtpInner1 = states[1];
        this.rtpInner2 = states[2];
        this.rtpInner3 = states[3];
        this.rtpInner4 = states[4];
        this.rtpOuter0 = states[5];
        this.rtpOuter1 = states[6];
        this.rtpOuter2 = states[7];
        this.rtpOuter3 = states[8];
        this.rtpOuter4 = states[9];
        Arrays.fill(states, 0);
    }

    /** {@code count} octets of {@code a} from {@code at}, big-endian, in the high end of a long. */
    private static long octets(byte[] a, int at, int count) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (i < count && at + i < a.length ? a[at + i] & 0xFF : 0);
        }
        return v;
    }

    // RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). As two 64-bit halves: the SSRC is
    // octets 4..7 (the low half of the high long) and the 48-bit index octets 8..13 (the low long shifted by 16).

    private static long ivHigh(long saltHigh, int ssrc) {
        return saltHigh ^ (ssrc & 0xFFFFFFFFL);
    }

    private static long ivLow(long saltLow, long index) {
        return saltLow ^ (index << 16);
    }

    /** RFC 3711 §4.2: the RTP tag covers the authenticated portion followed by the 32-bit ROC. */
    private void rtpDigest(ThreadScratch s, byte[] a, int off, int len, long index) {
        writeInt(s.roc, 0, (int) (index >>> 16));
        PrimedSha1 primed = s.primed;
        if (rtpPrimed && primed != null) {
            // HmacSha1.compute's primed path, from the states held here
            primed.hashAfterBlock(rtpInner0, rtpInner1, rtpInner2, rtpInner3, rtpInner4, a, off, len, s.roc, 4);
            primed.hashDigestAfterBlock(rtpOuter0, rtpOuter1, rtpOuter2, rtpOuter3, rtpOuter4);
            primed.digest(s.digest, 0);
            return;
        }
        rtpMac.compute(s, a, off, len, s.roc, 4, s.digest);
    }

    /** AES-CM over {@code a[from .. from + length)} with the RTP session key, as {@link AesCounterMode#apply}. */
    private void rtpCrypt(ThreadScratch s, int ssrc, long index, byte[] a, int from, int length) {
        Object ctr = rtpCtr;
        if (ctr != null && length > 0) {
            JdkAesCtr.apply(ctr, rtpCounter, ivHigh(rtpSaltHigh, ssrc), ivLow(rtpSaltLow, index), a, from, length);
        } else {
            rtpCipher.apply(s, ivHigh(rtpSaltHigh, ssrc), ivLow(rtpSaltLow, index), a, from, length);
        }
    }

    @Override
    int touchRtp() {
        Object ctr = rtpCtr;
        return ctr == null ? 0 : JdkAesCtr.touch(ctr, rtpCounter, rtpEncryptedCounter, rtpAes, rtpRoundKeys);
    }

    @Override
    void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        ThreadScratch s = ThreadScratch.current();
        rtpCrypt(s, ssrc, index, a, off + header, len - header);
        rtpDigest(s, a, off, len, index);
        System.arraycopy(s.digest, 0, a, off + len, rtpTagLength);
    }

    @Override
    boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        ThreadScratch s = ThreadScratch.current();
        int authenticated = len - rtpTagLength;
        rtpDigest(s, a, off, authenticated, index);
        // RFC 3711 §3.3 step 5: verify before decrypting; a forged packet leaves the buffer untouched
        if (!sameBytes(s.digest, 0, a, off + authenticated, rtpTagLength)) {
            return false;
        }
        rtpCrypt(s, ssrc, index, a, off + header, authenticated - header);
        return true;
    }

    @Override
    void protectRtcp(byte[] a, int off, int len, int ssrc, int index) {
        ThreadScratch s = ThreadScratch.current();
        // RFC 3711 §3.4: the first 8 octets (header and sender SSRC) stay in the clear
        rtcpCipher.apply(s, ivHigh(rtcpSaltHigh, ssrc), ivLow(rtcpSaltLow, index), a, off + 8, len - 8);
        writeInt(a, off + len, 0x80000000 | index);
        rtcpMac.compute(s, a, off, len + 4, s.roc, 0, s.digest);
        System.arraycopy(s.digest, 0, a, off + len + 4, 10);
    }

    @Override
    boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word) {
        ThreadScratch s = ThreadScratch.current();
        int authenticated = len - 10;
        // RFC 3711 §3.4: the tag covers the whole packet including the E flag and SRTCP index
        rtcpMac.compute(s, a, off, authenticated, s.roc, 0, s.digest);
        if (!sameBytes(s.digest, 0, a, off + authenticated, 10)) {
            return false;
        }
        if (word < 0) { // E flag set: the payload is encrypted
            rtcpCipher.apply(s, ivHigh(rtcpSaltHigh, ssrc), ivLow(rtcpSaltLow, word & 0x7FFFFFFF), a, off + 8,
                    authenticated - 4 - 8);
        }
        return true;
    }
}
