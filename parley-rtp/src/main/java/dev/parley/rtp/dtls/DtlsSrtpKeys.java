package dev.parley.rtp.dtls;

import dev.parley.rtp.srtp.SrtpProfile;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;
import java.util.Arrays;

/**
 * The SRTP master keys a DTLS-SRTP handshake exported (RFC 5764 §4.2), already sorted into Parley's direction:
 * {@code local*} protects what Parley sends, {@code remote*} checks what the peer sends. The DTLS client sends with
 * the client write key and salt, the server with the server's.
 *
 * <p>{@link #toString()} names the profile only: keys never reach a log.
 */
public final class DtlsSrtpKeys {
    private final SrtpProfile profile;
    private final byte[] localKey;
    private final byte[] localSalt;
    private final byte[] remoteKey;
    private final byte[] remoteSalt;

    DtlsSrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {
        this.profile = profile;
        this.localKey = localKey.clone();
        this.localSalt = localSalt.clone();
        this.remoteKey = remoteKey.clone();
        this.remoteSalt = remoteSalt.clone();
    }

    /**
     * Splits the exporter output of RFC 5764 §4.2 — {@code client_write_SRTP_master_key[k] |
     * server_write_SRTP_master_key[k] | client_write_SRTP_master_salt[s] | server_write_SRTP_master_salt[s]} — for
     * the side Parley played.
     */
    static DtlsSrtpKeys fromExporterOutput(SrtpProfile profile, byte[] material, DtlsRole localRole) {
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        if (material.length != exporterLength(profile)) {
            throw new IllegalArgumentException("exporter output is " + material.length + " octets, expected "
                    + exporterLength(profile));
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        DtlsSrtpKeys keys = localRole == DtlsRole.CLIENT
                ? new DtlsSrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new DtlsSrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
        Arrays.fill(material, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(serverKey, (byte) 0);
        Arrays.fill(clientSalt, (byte) 0);
        Arrays.fill(serverSalt, (byte) 0);
        return keys;
    }

    /** Octets to ask the exporter for: two keys and two salts. */
    static int exporterLength(SrtpProfile profile) {
        return 2 * (profile.masterKeyLength() + profile.masterSaltLength());
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** A sender that protects Parley's RTP and RTCP towards the peer. */
    public SrtpSender newSender() {
        return new SrtpSender(profile, localKey, localSalt);
    }

    /** A receiver that authenticates and decrypts the peer's SRTP and SRTCP. */
    public SrtpReceiver newReceiver() {
        return new SrtpReceiver(profile, remoteKey, remoteSalt);
    }

    /** Copies of the four values, for tests that compare them with another implementation's export. */
    public byte[] localMasterKey() {
        return localKey.clone();
    }

    public byte[] localMasterSalt() {
        return localSalt.clone();
    }

    public byte[] remoteMasterKey() {
        return remoteKey.clone();
    }

    public byte[] remoteMasterSalt() {
        return remoteSalt.clone();
    }

    @Override
    public String toString() {
        return "DtlsSrtpKeys[" + profile + ", keys redacted]";
    }
}
