package dev.parley.rtp.srtp;

import java.util.Arrays;

/**
 * The cryptographic half of SRTP for one direction of one session: encrypt and authenticate (or verify and
 * decrypt) a packet whose index the caller has already worked out. Bookkeeping (ROC, replay, SSRC state) lives
 * in {@link SrtpSender} and {@link SrtpReceiver}. With key derivation rate 0 the session keys are the same for
 * every SSRC, so one transform serves all of a session's streams and keeps its Cipher and Mac instances.
 */
abstract sealed class PacketTransform permits CounterModeTransform, GcmTransform {

    /** Derives the six session keys (RFC 3711 §4.3) and builds the transform of {@code profile}. */
    static PacketTransform create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey == null || masterKey.length != profile.masterKeyLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.masterKeyLength()
                    + "-octet master key, got " + (masterKey == null ? "none" : masterKey.length + " octets"));
        }
        if (masterSalt == null || masterSalt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.masterSaltLength()
                    + "-octet master salt, got " + (masterSalt == null ? "none" : masterSalt.length + " octets"));
        }
        SrtpKdf kdf = new SrtpKdf(masterKey, masterSalt);
        int saltLength = profile.masterSaltLength();
        byte[] rtpKey = kdf.derive(SrtpKdf.RTP_ENCRYPTION, 16);
        byte[] rtpSalt = kdf.derive(SrtpKdf.RTP_SALT, saltLength);
        byte[] rtcpKey = kdf.derive(SrtpKdf.RTCP_ENCRYPTION, 16);
        byte[] rtcpSalt = kdf.derive(SrtpKdf.RTCP_SALT, saltLength);
        try {
            if (profile.aead()) {
                return new GcmTransform(rtpKey, rtpSalt, rtcpKey, rtcpSalt);
            }
            // RFC 3711 §4.2: HMAC-SHA1 keyed with a 160-bit session authentication key
            byte[] rtpAuth = kdf.derive(SrtpKdf.RTP_AUTHENTICATION, 20);
            byte[] rtcpAuth = kdf.derive(SrtpKdf.RTCP_AUTHENTICATION, 20);
            try {
                return new CounterModeTransform(profile, rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth);
            } finally {
                Arrays.fill(rtpAuth, (byte) 0);
                Arrays.fill(rtcpAuth, (byte) 0);
            }
        } finally {
            kdf.forget();
            Arrays.fill(rtpKey, (byte) 0);
            Arrays.fill(rtcpKey, (byte) 0);
        }
    }

    /**
     * Encrypts {@code a[off + header .. off + len)} and appends the tag at {@code a[off + len]}; the caller made
     * sure there is room and grows the packet by the profile's RTP tag length.
     */
    abstract void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index);

    /**
     * Verifies the tag at the end of {@code a[off .. off + len)} and, only if it holds, decrypts the payload in
     * place. The plaintext packet is then {@code len - tag} octets.
     */
    abstract boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index);

    /** Encrypts an RTCP compound from octet 8 and appends the SRTCP trailer (E = 1, {@code index}) and tag. */
    abstract void protectRtcp(byte[] a, int off, int len, int ssrc, int index);

    /**
     * Verifies an SRTCP packet whose E flag and index word is {@code word} and, only if it holds and E is set,
     * decrypts it in place. The RTCP compound is then {@code len - rtcpOverhead} octets.
     */
    abstract boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word);

    /**
     * Loads (and sums, for the caller to use) one word of each per-key object the next RTP packet's transform will
     * read, so that in a relay of thousands of cold contexts their cache misses overlap rather than follow each
     * other down the chain of references; see {@link JdkAesCtr#touch(Object, byte[], byte[], Object, int[])}.
     * Never negative. 0: nothing to touch.
     */
    int touchRtp() {
        return 0;
    }

    /** Constant-time comparison, so the time taken does not tell a forger how many tag octets were right. */
    static boolean sameBytes(byte[] x, int xOff, byte[] y, int yOff, int length) {
        int difference = 0;
        for (int i = 0; i < length; i++) {
            difference |= x[xOff + i] ^ y[yOff + i];
        }
        return difference == 0;
    }

    static void writeInt(byte[] a, int at, int value) {
        a[at] = (byte) (value >>> 24);
        a[at + 1] = (byte) (value >>> 16);
        a[at + 2] = (byte) (value >>> 8);
        a[at + 3] = (byte) value;
    }
}
