package dev.parley.rtp.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/** Parley as DTLS server ({@code a=setup:passive}): Bouncy Castle's server with the DTLS-SRTP rules. */
final class SrtpDtlsServer extends DefaultTlsServer {
    /** ECDHE with Parley's ECDSA certificate only: it has no RSA key. AEAD first. */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final HandshakeOutcome outcome;
    private final DtlsSettings settings;

    SrtpDtlsServer(HandshakeOutcome outcome, DtlsSettings settings) {
        super(outcome.crypto());
        this.outcome = outcome;
        this.settings = settings;
    }

    /** DTLS 1.2 only: a client that offers 1.3 too (Chromium) gets 1.2 from its supported_versions list. */
    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return outcome.credentials(context);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) settings.handshakeTimeout().toMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return (int) settings.initialRetransmit().toMillis();
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered != null) {
            SrtpProtectionProfiles.choose(settings.profiles(), offered.getProtectionProfiles())
                    .ifPresent(outcome::profileChosen);
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // Refused here rather than while reading the ClientHello: only from now on does Bouncy Castle send the
        // alert, so the client learns at once instead of waiting for its handshake timeout.
        if (outcome.chosenProfile() == null) {
            throw outcome.fail(DtlsFailure.Reason.NO_SRTP_PROFILE,
                    "no SRTP protection profile in common (or no use_srtp offered)", AlertDescription.handshake_failure);
        }
        // RFC 5764 §4.1.1: exactly one profile, and an empty MKI (Parley uses none).
        int chosen = SrtpProtectionProfiles.idOf(outcome.chosenProfile());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {chosen}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    /** RFC 5763 §5: the server must ask for the client's certificate; its fingerprint is what authenticates it. */
    @Override
    @SuppressWarnings({"rawtypes"})
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        java.util.Vector algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(types, algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        outcome.verifyRemoteCertificate(clientCertificate);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        outcome.exportKeys(context);
    }
}
