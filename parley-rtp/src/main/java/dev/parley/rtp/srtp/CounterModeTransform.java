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
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] iv = new byte[16];
    private final byte[] roc = new byte[4];
    private final byte[] digest = new byte[20];

    CounterModeTransform(SrtpProfile profile, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth, byte[] rtcpKey,
            byte[] rtcpSalt, byte[] rtcpAuth) {
        this.rtpTagLength = profile.rtpTagLength();
        this.rtpCipher = new AesCounterMode(rtpKey);
        this.rtcpCipher = new AesCounterMode(rtcpKey);
        this.rtpSalt = rtpSalt;
        this.rtcpSalt = rtcpSalt;
        this.rtpMac = new HmacSha1(rtpAuth);
        this.rtcpMac = new HmacSha1(rtcpAuth);
    }

    /** RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    private void iv(byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
    }

    /** RFC 3711 §4.2: the RTP tag covers the authenticated portion followed by the 32-bit ROC. */
    private void rtpDigest(byte[] a, int off, int len, long index) {
        writeInt(roc, 0, (int) (index >>> 16));
        rtpMac.compute(a, off, len, roc, 4, digest);
    }

    @Override
    void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        iv(rtpSalt, ssrc, index);
        rtpCipher.apply(iv, a, off + header, len - header);
        rtpDigest(a, off, len, index);
        System.arraycopy(digest, 0, a, off + len, rtpTagLength);
    }

    @Override
    boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        int authenticated = len - rtpTagLength;
        rtpDigest(a, off, authenticated, index);
        // RFC 3711 §3.3 step 5: verify before decrypting; a forged packet leaves the buffer untouched
        if (!sameBytes(digest, 0, a, off + authenticated, rtpTagLength)) {
            return false;
        }
        iv(rtpSalt, ssrc, index);
        rtpCipher.apply(iv, a, off + header, authenticated - header);
        return true;
    }

    @Override
    void protectRtcp(byte[] a, int off, int len, int ssrc, int index) {
        iv(rtcpSalt, ssrc, index);
        // RFC 3711 §3.4: the first 8 octets (header and sender SSRC) stay in the clear
        rtcpCipher.apply(iv, a, off + 8, len - 8);
        writeInt(a, off + len, 0x80000000 | index);
        rtcpMac.compute(a, off, len + 4, roc, 0, digest);
        System.arraycopy(digest, 0, a, off + len + 4, 10);
    }

    @Override
    boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word) {
        int authenticated = len - 10;
        // RFC 3711 §3.4: the tag covers the whole packet including the E flag and SRTCP index
        rtcpMac.compute(a, off, authenticated, roc, 0, digest);
        if (!sameBytes(digest, 0, a, off + authenticated, 10)) {
            return false;
        }
        if (word < 0) { // E flag set: the payload is encrypted
            iv(rtcpSalt, ssrc, word & 0x7FFFFFFF);
            rtcpCipher.apply(iv, a, off + 8, authenticated - 4 - 8);
        }
        return true;
    }
}
