package dev.parley.rtp.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * Parley's DTLS identity: a self-signed ECDSA P-256 certificate and its private key, made once per process (or per
 * endpoint) and announced in SDP by its {@link #fingerprint()}. Nobody checks it against a CA: RFC 5763 §5 binds it
 * to the session by the fingerprint in the signed (or TLS-protected) SDP instead.
 *
 * <p>P-256 with ECDSA/SHA-256, like browsers' own (RFC 8827 §6.5 requires P-256 ECDSA support); its handshake is
 * far cheaper than RSA's. The private key never leaves this object and {@link #toString()} shows only the
 * fingerprint.
 */
public final class DtlsCertificate {
    /** Backdated a day so a peer whose clock is a little behind does not see a certificate from the future. */
    private static final Duration BACKDATE = Duration.ofDays(1);

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = DtlsFingerprint.sha256(der);
    }

    /** A new key pair and self-signed certificate valid from a day before {@code now} for {@code validity}. */
    public static DtlsCertificate generate(SecureRandom random, Instant now, Duration validity) {
        X9ECParameters p256 = ECNamedCurveTable.getByName("P-256");
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, p256);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        try {
            // Random subject and serial: nothing in the certificate identifies the host or links two processes.
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            X500Name name = new X500Name("CN=parley-" + new BigInteger(1, serial).toString(36));
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()));
            AlgorithmIdentifier signature = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
            byte[] der = builder.build(new BcECContentSignerBuilder(signature, digest).build(pair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, pair.getPrivate());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("could not build a self-signed P-256 certificate", e);
        }
    }

    /** A certificate valid for 30 days from now, the lifetime browsers give their own DTLS certificates. */
    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Instant.now(), Duration.ofDays(30));
    }

    /** The {@code sha-256} fingerprint to put in {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The DER encoding of the certificate. */
    public byte[] der() {
        return der.clone();
    }

    byte[] derNoCopy() {
        return der;
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint.toSdpValue() + "]";
    }
}
