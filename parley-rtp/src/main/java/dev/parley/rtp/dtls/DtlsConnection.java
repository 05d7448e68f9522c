package dev.parley.rtp.dtls;

/**
 * A finished DTLS-SRTP handshake: the SRTP keys for Parley's direction and the certificate the peer presented
 * (which matched one of its SDP fingerprints).
 */
public final class DtlsConnection {
    private final DtlsSrtpKeys keys;
    private final byte[] remoteCertificate;

    DtlsConnection(DtlsSrtpKeys keys, byte[] remoteCertificate) {
        this.keys = keys;
        this.remoteCertificate = remoteCertificate.clone();
    }

    public DtlsSrtpKeys keys() {
        return keys;
    }

    /** The DER encoding of the peer's certificate. */
    public byte[] remoteCertificate() {
        return remoteCertificate.clone();
    }

    /** The {@code sha-256} fingerprint of the peer's certificate. */
    public DtlsFingerprint remoteFingerprint() {
        return DtlsFingerprint.sha256(remoteCertificate);
    }

    @Override
    public String toString() {
        return "DtlsConnection[" + keys.profile() + ", peer " + remoteFingerprint().toSdpValue() + "]";
    }
}
