package dev.parley.rtp.srtp;

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
    private final AesCounterMode rtcpCipher;
    // The 112-bit session salts as the high and low 64 bits of a 128-bit IV (octets 14 and 15 zero): fields of
    // this object rather than arrays of their own, so a packet touches one cache line less of a cold context.
    private final long rtpSaltHigh;
    private final long rtpSaltLow;
    private final long rtcpSaltHigh;
    private final long rtcpSaltLow;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;

    CounterModeTransform(SrtpProfile profile, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth, byte[] rtcpKey,
            byte[] rtcpSalt, byte[] rtcpAuth) {
        this.rtpTagLength = profile.rtpTagLength();
        this.rtpCipher = new AesCounterMode(rtpKey);
        this.rtcpCipher = new AesCounterMode(rtcpKey);
        this.rtpSaltHigh = octets(rtpSalt, 0, 8);
        this.rtpSaltLow = octets(rtpSalt, 8, 6);
        this.rtcpSaltHigh = octets(rtcpSalt, 0, 8);
        this.rtcpSaltLow = octets(rtcpSalt, 8, 6);
        this.rtpMac = new HmacSha1(rtpAuth);
        this.rtcpMac = new HmacSha1(rtcpAuth);
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
        rtpMac.compute(s, a, off, len, s.roc, 4, s.digest);
    }

    @Override
    void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        ThreadScratch s = ThreadScratch.current();
        rtpCipher.apply(s, ivHigh(rtpSaltHigh, ssrc), ivLow(rtpSaltLow, index), a, off + header, len - header);
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
        rtpCipher.apply(s, ivHigh(rtpSaltHigh, ssrc), ivLow(rtpSaltLow, index), a, off + header,
                authenticated - header);
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
