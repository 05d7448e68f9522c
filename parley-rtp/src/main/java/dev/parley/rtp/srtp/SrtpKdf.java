package dev.parley.rtp.srtp;

import java.util.Arrays;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with key derivation rate 0: each session key is the AES-CM
 * keystream, keyed by the master key, starting at {@code (label-xored master salt) * 2^16}. With rate 0 the
 * "index DIV kdr" term is zero for the session's whole life, so the session keys do not depend on the packet
 * index or the SSRC and are derived once per direction.
 *
 * <p>RFC 7714 §11 (AES-GCM) keeps this PRF with a 96-bit master salt; like libsrtp, the salt is aligned to the
 * left of the 112-bit field (the two low octets stay zero), which is what interoperating peers do.
 */
final class SrtpKdf {
    static final int RTP_ENCRYPTION = 0x00;
    static final int RTP_AUTHENTICATION = 0x01;
    static final int RTP_SALT = 0x02;
    static final int RTCP_ENCRYPTION = 0x03;
    static final int RTCP_AUTHENTICATION = 0x04;
    static final int RTCP_SALT = 0x05;

    private final AesCounterMode prf;
    private final byte[] salt = new byte[14];

    SrtpKdf(byte[] masterKey, byte[] masterSalt) {
        this.prf = new AesCounterMode(masterKey);
        System.arraycopy(masterSalt, 0, salt, 0, Math.min(masterSalt.length, salt.length));
    }

    /** The {@code length}-octet session key for {@code label} (RFC 3711 §4.3.1, §4.3.3). */
    byte[] derive(int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        // key_id = label || (index DIV kdr) is 7 octets aligned right in the 14-octet salt: the label is octet 7
        iv[7] ^= (byte) label;
        byte[] key = new byte[length];
        prf.keystream(iv, key, 0, length);
        return key;
    }

    /** Overwrites the copy of the master salt (the master key lives only inside the cipher). */
    void forget() {
        Arrays.fill(salt, (byte) 0);
    }
}
