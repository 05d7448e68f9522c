package dev.parley.rtp.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714): the header is additional authenticated data, the payload is encrypted, and the
 * 16-octet GCM tag follows the ciphertext.
 *
 * <pre>
 * SRTP  (§8):  | header (AAD) | ciphertext | tag |
 * SRTCP (§9):  | first 8 octets (AAD) | ciphertext | tag | E | SRTCP index (AAD) |
 * IV (§8.1):   (00 00 || SSRC || ROC || SEQ) XOR salt
 * IV (§9.1):   (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt
 * </pre>
 *
 * <p>JCE needs a new {@link GCMParameterSpec} per {@code init}, so GCM allocates a small object per packet;
 * AES-CM does not. Each direction keeps its own Cipher instances (the JDK also refuses to re-encrypt under the
 * key and IV it just used, which the sender's replay window already rules out).
 */
final class GcmTransform extends PacketTransform {
    private static final int TAG = 16;

    private final Cipher rtpCipher;
    private final Cipher rtcpCipher;
    private final SecretKeySpec rtpKey;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[12];
    private final byte[] trailer = new byte[4];
    private final byte[] emptyOut = new byte[TAG];

    GcmTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        this.rtpKey = new SecretKeySpec(rtpKey, "AES");
        this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
        this.rtpSalt = rtpSalt;
        this.rtcpSalt = rtcpSalt;
        try {
            this.rtpCipher = Cipher.getInstance("AES/GCM/NoPadding");
            this.rtcpCipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks AES/GCM/NoPadding, which every Java SE runtime provides", e);
        }
    }

    private void iv(byte[] salt, int ssrc, int high, int low) {
        iv[0] = salt[0];
        iv[1] = salt[1];
        iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (salt[5] ^ ssrc);
        iv[6] = (byte) (salt[6] ^ (high >>> 24));
        iv[7] = (byte) (salt[7] ^ (high >>> 16));
        iv[8] = (byte) (salt[8] ^ (high >>> 8));
        iv[9] = (byte) (salt[9] ^ high);
        iv[10] = (byte) (salt[10] ^ (low >>> 8));
        iv[11] = (byte) (salt[11] ^ low);
    }

    /** RFC 7714 §8.1: ROC in octets 6..9, SEQ in 10..11. */
    private void rtpIv(int ssrc, long index) {
        iv(rtpSalt, ssrc, (int) (index >>> 16), (int) (index & 0xFFFF));
    }

    /** RFC 7714 §9.1: two zero octets then the 31-bit SRTCP index with a zero top bit, in octets 8..11. */
    private void rtcpIv(int ssrc, int index) {
        iv(rtcpSalt, ssrc, index >>> 16, index & 0xFFFF);
    }

    @Override
    void protectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        rtpIv(ssrc, index);
        try {
            rtpCipher.init(Cipher.ENCRYPT_MODE, rtpKey, new GCMParameterSpec(TAG * 8, iv));
            rtpCipher.updateAAD(a, off, header);
            rtpCipher.doFinal(a, off + header, len - header, a, off + header);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to encrypt a packet with room for its tag", e);
        }
    }

    @Override
    boolean unprotectRtp(byte[] a, int off, int len, int header, int ssrc, long index) {
        rtpIv(ssrc, index);
        try {
            rtpCipher.init(Cipher.DECRYPT_MODE, rtpKey, new GCMParameterSpec(TAG * 8, iv));
            rtpCipher.updateAAD(a, off, header);
            rtpCipher.doFinal(a, off + header, len - header, a, off + header);
            return true;
        } catch (AEADBadTagException forged) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to decrypt", e);
        }
    }

    @Override
    void protectRtcp(byte[] a, int off, int len, int ssrc, int index) {
        rtcpIv(ssrc, index);
        int word = 0x80000000 | index;
        writeInt(trailer, 0, word);
        try {
            rtcpCipher.init(Cipher.ENCRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
            // RFC 7714 §9.2: AAD = the first 8 octets, then the E flag and SRTCP index
            rtcpCipher.updateAAD(a, off, 8);
            rtcpCipher.updateAAD(trailer, 0, 4);
            rtcpCipher.doFinal(a, off + 8, len - 8, a, off + 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to encrypt a packet with room for its tag", e);
        }
        writeInt(a, off + len + TAG, word);
    }

    @Override
    boolean unprotectRtcp(byte[] a, int off, int len, int ssrc, int word) {
        rtcpIv(ssrc, word & 0x7FFFFFFF);
        writeInt(trailer, 0, word);
        int sealed = len - 4; // header, ciphertext and tag
        try {
            rtcpCipher.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
            if (word < 0) {
                rtcpCipher.updateAAD(a, off, 8);
                rtcpCipher.updateAAD(trailer, 0, 4);
                rtcpCipher.doFinal(a, off + 8, sealed - 8, a, off + 8);
            } else {
                // RFC 7714 §9.3: E = 0, the whole packet is AAD and only the tag is "ciphertext"
                rtcpCipher.updateAAD(a, off, sealed - TAG);
                rtcpCipher.updateAAD(trailer, 0, 4);
                rtcpCipher.doFinal(a, off + sealed - TAG, TAG, emptyOut, 0);
            }
            return true;
        } catch (AEADBadTagException forged) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused to decrypt", e);
        }
    }
}
