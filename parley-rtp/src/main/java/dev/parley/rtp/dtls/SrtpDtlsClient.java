package dev.parley.rtp.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/** Parley as DTLS client ({@code a=setup:active}): Bouncy Castle's client with the DTLS-SRTP rules. */
final class SrtpDtlsClient extends DefaultTlsClient {
    /** The server's certificate may be ECDSA (browsers) or RSA (some SIP phones); ECDHE and AEAD first. */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    };

    private final HandshakeOutcome outcome;
    private final DtlsSettings settings;

    SrtpDtlsClient(HandshakeOutcome outcome, DtlsSettings settings) {
        super(outcome.crypto());
        this.outcome = outcome;
        this.settings = settings;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
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
    @SuppressWarnings({"rawtypes"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(SrtpProtectionProfiles.ids(settings.profiles()), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings({"rawtypes"})
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData selected = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (selected == null) {
            throw outcome.fail(DtlsFailure.Reason.NO_SRTP_PROFILE, "server did not answer use_srtp",
                    AlertDescription.handshake_failure);
        }
        // RFC 5764 §4.1.1: the server answers with exactly one profile, one the client offered.
        int[] ids = selected.getProtectionProfiles();
        if (ids.length != 1) {
            throw outcome.fail(DtlsFailure.Reason.NO_SRTP_PROFILE, "server selected " + ids.length + " profiles",
                    AlertDescription.illegal_parameter);
        }
        outcome.profileChosen(SrtpProtectionProfiles.choose(settings.profiles(), ids)
                .orElseThrow(() -> outcome.fail(DtlsFailure.Reason.NO_SRTP_PROFILE,
                        "server selected a profile that was not offered", AlertDescription.illegal_parameter)));
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                outcome.verifyRemoteCertificate(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return outcome.credentials(context);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        outcome.exportKeys(context);
    }
}
