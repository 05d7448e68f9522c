package dev.parley.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.ConfigException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path cert() {
        return dir.resolve("tls/cert.pem");
    }

    private Path key() {
        return dir.resolve("tls/key.pem");
    }

    private TlsMaterial generateDefault() {
        return TlsMaterial.loadOrGenerate(cert(), key(), true, List.of("192.0.2.10"), CLOCK);
    }

    @Test
    void generatesASelfSignedP256CertificateWithTheHostsAsAlternativeNames() throws Exception {
        TlsMaterial m = generateDefault();

        assertThat(m.generated()).isTrue();
        X509Certificate c = m.certificate();
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(((ECPublicKey) c.getPublicKey()).getParams().toString()).contains("secp256r1");
        c.verify(c.getPublicKey()); // self-signed
        assertThat(c.getSubjectX500Principal()).isEqualTo(c.getIssuerX500Principal());
        assertThat(c.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(825)));
        assertThat(c.getNotBefore().toInstant()).isBefore(NOW);
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        assertThat(c.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        List<String> san = c.getSubjectAlternativeNames().stream().map(n -> n.get(0) + ":" + n.get(1))
                .collect(Collectors.toList());
        assertThat(san).containsExactlyInAnyOrder("7:192.0.2.10", "2:localhost", "7:127.0.0.1");
    }

    @Test
    void writesTheCertificatePublicAndTheKeyPrivate() throws Exception {
        generateDefault();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert()))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key()))).isEqualTo("rw-------");
        assertThat(Files.readString(cert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(dir.resolve("tls/key.pem.tmp")).doesNotExist();
    }

    @Test
    void aSecondStartLoadsTheSameCertificate() {
        TlsMaterial first = generateDefault();
        TlsMaterial second = generateDefault();

        assertThat(second.generated()).isFalse();
        assertThat(second.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());
        assertThat(second.certificate()).isEqualTo(first.certificate());
    }

    @Test
    void fingerprintIsSha256OfTheDerInColonHex() throws Exception {
        TlsMaterial m = generateDefault();
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(m.certificate().getEncoded()));
        assertThat(m.sha256Fingerprint()).isEqualTo(expected).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void keyManagersServeTheCertificateInAnSslContext() throws Exception {
        TlsMaterial m = generateDefault();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(m.keyManagers().getKeyManagers(), null, null);
        javax.net.ssl.X509KeyManager km = (javax.net.ssl.X509KeyManager) m.keyManagers().getKeyManagers()[0];
        assertThat(km.getCertificateChain("parley")).containsExactly(m.certificate());
        assertThat(km.chooseServerAlias("EC", null, null)).isEqualTo("parley");
    }

    @Test
    void loadsATraditionalRsaKeyAndAChain() throws Exception {
        KeyPair pair = keyPair("RSA", 2048);
        X509Certificate leaf = selfSigned(pair, "SHA256withRSA");
        X509Certificate other = selfSigned(keyPair("EC", 256), "SHA256withECDSA");
        Files.createDirectories(cert().getParent());
        Files.writeString(cert(), pem(leaf) + pem(other));
        Files.writeString(key(), pem(pair.getPrivate())); // JcaPEMWriter writes RSA keys as BEGIN RSA PRIVATE KEY
        assertThat(Files.readString(key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        TlsMaterial m = TlsMaterial.loadOrGenerate(cert(), key(), false, List.of(), CLOCK);

        assertThat(m.generated()).isFalse();
        assertThat(m.chain()).containsExactly(leaf, other);
    }

    @Test
    void loadsATraditionalEcKey() throws Exception {
        KeyPair pair = keyPair("EC", 256);
        Files.createDirectories(cert().getParent());
        Files.writeString(cert(), pem(selfSigned(pair, "SHA256withECDSA")));
        Files.writeString(key(), pem(pair.getPrivate()));
        assertThat(Files.readString(key())).startsWith("-----BEGIN EC PRIVATE KEY-----");

        assertThat(TlsMaterial.load(cert(), key()).certificate().getPublicKey().getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void aCorruptCertificateNamesThePathAndTheFix() throws Exception {
        generateDefault();
        Files.writeString(cert(), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(this::generateDefault)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.certificate: " + cert())
                .hasMessageEndingWith("check the file or remove it to generate a new one");
    }

    @Test
    void aFileWithoutPemIsNamed() throws Exception {
        generateDefault();
        Files.writeString(cert(), "hello\n");
        assertThatThrownBy(this::generateDefault)
                .hasMessage("tls.certificate: " + cert() + " holds no PEM certificate (no BEGIN CERTIFICATE block);"
                        + " check the file or remove it to generate a new one");
    }

    @Test
    void aCorruptKeyNamesThePathAndNeverItsContent() throws Exception {
        generateDefault();
        String original = Files.readString(key());
        String damaged = original.substring(0, 60) + "AAAA" + original.substring(64);
        Files.writeString(key(), damaged);

        assertThatThrownBy(this::generateDefault)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.key: " + key())
                .hasMessageContaining("remove it to generate a new one")
                .hasMessageNotContaining(original.substring(30, 60));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        generateDefault();
        Files.writeString(key(), pem(keyPair("EC", 256).getPrivate()));
        assertThatThrownBy(this::generateDefault)
                .hasMessageStartingWith("tls.key: " + key() + " is not the key of the certificate in " + cert());
    }

    @Test
    void aCertificateWithoutItsKeyIsNotSilentlyReplaced() throws Exception {
        generateDefault();
        Files.delete(key());
        assertThatThrownBy(this::generateDefault)
                .hasMessageStartingWith("tls.key: " + key() + " does not exist but the certificate");
        assertThat(cert()).exists();
    }

    @Test
    void configuredPathsThatDoNotExistAreAnErrorNotAGeneratedCertificate() {
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(cert(), key(), false, List.of(), CLOCK))
                .hasMessageStartingWith("tls.certificate: " + cert() + " does not exist; fix the path");
        assertThat(cert()).doesNotExist();
    }

    @Test
    void anEncryptedKeyIsExplained() throws Exception {
        generateDefault();
        KeyPair pair = keyPair("EC", 256);
        Files.writeString(cert(), pem(selfSigned(pair, "SHA256withECDSA")));
        Files.writeString(key(), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(),
                new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                        org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .setPassword("pw".toCharArray()).build())));
        assertThat(Files.readString(key())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThatThrownBy(this::generateDefault).hasMessageContaining("is encrypted with a passphrase");
    }

    // --- fixtures -------------------------------------------------------------------------------

    private static KeyPair keyPair(String algorithm, int bits) throws Exception {
        // EC keys from Bouncy Castle: JcaPEMWriter writes them as OpenSSL does (BEGIN EC PRIVATE KEY with the curve)
        KeyPairGenerator g = algorithm.equals("EC")
                ? KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider())
                : KeyPairGenerator.getInstance(algorithm);
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair pair, String signature) throws Exception {
        X500Name name = new X500Name("CN=test");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(NOW.minusSeconds(60)), Date.from(NOW.plusSeconds(86400)), name,
                pair.getPublic()).build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
