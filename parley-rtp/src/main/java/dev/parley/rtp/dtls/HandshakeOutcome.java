package dev.parley.rtp.dtls;

import dev.parley.rtp.srtp.SrtpProfile;
import java.io.IOException;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What the server and client peers share: Parley's credentials, the check of the peer's certificate against its
 * SDP fingerprints, the SRTP profile, and the key export. Written by the handshake thread only; read by
 * {@link DtlsSrtpSession} on that same thread after the handshake returned or failed.
 */
final class HandshakeOutcome {
    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final List<DtlsFingerprint> expectedRemote;
    private final BcTlsCrypto crypto;

    private DtlsFailure.Reason failure;
    private String failureDetail;
    private SrtpProfile profile;
    private DtlsSrtpKeys keys;
    private byte[] remoteCertificate;

    HandshakeOutcome(DtlsRole role, DtlsCertificate certificate, List<DtlsFingerprint> expectedRemote,
            BcTlsCrypto crypto) {
        this.role = role;
        this.certificate = certificate;
        this.expectedRemote = List.copyOf(expectedRemote);
        this.crypto = crypto;
    }

    BcTlsCrypto crypto() {
        return crypto;
    }

    /** Parley's certificate and key as Bouncy Castle signs with them: ECDSA with SHA-256 (TLS 1.2 §7.4.1.4.1). */
    TlsCredentialedSigner credentials(TlsContext context) throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.derNoCopy())});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, certificate.privateKey(),
                chain, SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /**
     * RFC 5763 §5: the certificate the peer presents must hash to a fingerprint its SDP announced, or there is no
     * media. Bouncy Castle has already checked that the peer holds the certificate's key (its signature over the
     * handshake), so a match binds this DTLS association to the signalling that carried the SDP.
     */
    void verifyRemoteCertificate(Certificate presented) throws IOException {
        if (presented == null || presented.isEmpty()) {
            throw fail(DtlsFailure.Reason.NO_CERTIFICATE, "peer sent no certificate",
                    role == DtlsRole.SERVER ? AlertDescription.handshake_failure : AlertDescription.bad_certificate);
        }
        byte[] der = presented.getCertificateAt(0).getEncoded();
        for (DtlsFingerprint expected : expectedRemote) {
            if (expected.matches(der)) {
                remoteCertificate = der;
                return;
            }
        }
        throw fail(DtlsFailure.Reason.FINGERPRINT_MISMATCH,
                "peer certificate " + DtlsFingerprint.sha256(der).toSdpValue() + " matches no a=fingerprint of its SDP",
                AlertDescription.bad_certificate);
    }

    void profileChosen(SrtpProfile chosen) {
        profile = chosen;
    }

    SrtpProfile chosenProfile() {
        return profile;
    }

    /** RFC 5764 §4.2: export the SRTP master keys and salts from the finished handshake. */
    void exportKeys(TlsContext context) throws IOException {
        if (profile == null) {
            throw fail(DtlsFailure.Reason.NO_SRTP_PROFILE, "use_srtp was not negotiated",
                    AlertDescription.handshake_failure);
        }
        if (remoteCertificate == null) {
            // Both peers call verifyRemoteCertificate before Finished; never export keys without it.
            throw fail(DtlsFailure.Reason.NO_CERTIFICATE, "peer certificate was not verified",
                    AlertDescription.handshake_failure);
        }
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                DtlsSrtpKeys.exporterLength(profile));
        keys = DtlsSrtpKeys.fromExporterOutput(profile, material, role);
    }

    TlsFatalAlert fail(DtlsFailure.Reason reason, String detail, short alert) {
        if (failure == null) {
            failure = reason;
            failureDetail = detail;
        }
        return new TlsFatalAlert(alert, detail);
    }

    DtlsFailure.Reason failure() {
        return failure;
    }

    String failureDetail() {
        return failureDetail;
    }

    DtlsSrtpKeys keys() {
        return keys;
    }

    byte[] remoteCertificate() {
        return remoteCertificate;
    }
}
