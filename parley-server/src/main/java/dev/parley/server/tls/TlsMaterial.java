package dev.parley.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.parley.server.config.Addresses;
import dev.parley.server.config.ConfigException;
import dev.parley.server.config.ParleyConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS certificate and key, for SIP over TLS (and, later, HTTPS).
 *
 * <p>When the configured PEM files exist they are read: a certificate file with the server certificate first and
 * any intermediates after it, and an unencrypted private key in PKCS#8 ({@code BEGIN PRIVATE KEY}) or traditional
 * ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}) form. The key must match the certificate (checked by
 * signing and verifying). When both files are absent and the paths are Parley's defaults, a self-signed certificate
 * is generated: EC P-256, SHA256withECDSA, valid 825 days (the longest most TLS clients accept), with the advertised
 * host, {@code localhost} and {@code 127.0.0.1} as subject alternative names; {@code cert.pem} is written mode
 * {@code 0644} and {@code key.pem} mode {@code 0600}.
 *
 * <p>The SHA-256 fingerprint of the certificate is logged at INFO so a phone or browser can be told which
 * self-signed certificate to trust. Key material is never logged, and never appears in an exception message.
 */
public final class TlsMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    /** Validity of a generated certificate: the CA/Browser Forum's old maximum, which every client accepts. */
    public static final Duration GENERATED_VALIDITY = Duration.ofDays(825);
    private static final String FIX = "check the file or remove it to generate a new one";
    /** Private key algorithm OIDs (PKCS#8) and the JDK's names for them. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private final Path certificatePath;
    private final Path keyPath;
    private final List<X509Certificate> chain;
    private final KeyManagerFactory keyManagers;
    private final KeyStore keyStore;
    private final boolean generated;

    private TlsMaterial(Path certificatePath, Path keyPath, List<X509Certificate> chain, PrivateKey key,
            boolean generated) {
        this.certificatePath = certificatePath;
        this.keyPath = keyPath;
        this.chain = List.copyOf(chain);
        this.generated = generated;
        try {
            // The key store lives in memory only; its password protects nothing, so a random one is as good as any.
            char[] password = randomPassword();
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("parley", key, password, chain.toArray(X509Certificate[]::new));
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store for the TLS key in " + keyPath + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The TLS material for {@code config}: loads {@link ParleyConfig#certificatePath()} and
     * {@link ParleyConfig#keyPath()}, or generates a self-signed pair there when both are absent and the paths are
     * the defaults; logs the fingerprint.
     *
     * @throws ConfigException naming {@code tls.certificate} or {@code tls.key} and the path when a file is missing,
     *     unreadable, corrupt, encrypted, or the two do not belong together
     */
    public static TlsMaterial forConfig(ParleyConfig config, Clock clock) {
        return loadOrGenerate(config.certificatePath(), config.keyPath(), config.tlsPathsAreDefault(),
                List.of(config.advertisedHost()), clock);
    }

    /**
     * Loads the pair, or when both files are absent and {@code mayGenerate}, generates one for {@code hosts} (plus
     * {@code localhost} and {@code 127.0.0.1}).
     */
    public static TlsMaterial loadOrGenerate(Path certificate, Path key, boolean mayGenerate, List<String> hosts,
            Clock clock) {
        boolean haveCert = Files.exists(certificate);
        boolean haveKey = Files.exists(key);
        TlsMaterial m;
        if (!haveCert && !haveKey && mayGenerate) {
            m = generate(certificate, key, hosts, clock);
            LOG.info("generated a self-signed TLS certificate {} for {} valid until {}, SHA-256 fingerprint {}",
                    certificate, String.join(", ", sanNames(hosts)), m.certificate().getNotAfter().toInstant(),
                    m.sha256Fingerprint());
            return m;
        }
        if (!haveCert) {
            throw new ConfigException("tls.certificate: " + certificate + " does not exist" + (haveKey
                    ? " but the key " + key + " does; restore the certificate, or remove the key too to generate"
                            + " a new self-signed pair"
                    : "; fix the path, or remove tls.certificate and tls.key to use a generated self-signed"
                            + " certificate"));
        }
        if (!haveKey) {
            throw new ConfigException("tls.key: " + key + " does not exist" + (mayGenerate
                    ? " but the certificate " + certificate + " does; restore the key, or remove the certificate"
                            + " too to generate a new self-signed pair"
                    : "; fix the path, or remove tls.certificate and tls.key to use a generated self-signed"
                            + " certificate"));
        }
        m = load(certificate, key);
        Instant now = clock.instant();
        X509Certificate c = m.certificate();
        if (now.isAfter(c.getNotAfter().toInstant()) || now.isBefore(c.getNotBefore().toInstant())) {
            LOG.warn("TLS certificate {} is not valid now (valid {} to {}); clients will refuse it: renew it, or"
                    + " remove {} and {} to generate a new self-signed one", certificate,
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), certificate, key);
        }
        LOG.info("TLS certificate {} for {}, valid until {}, SHA-256 fingerprint {}", certificate,
                c.getSubjectX500Principal().getName(), c.getNotAfter().toInstant(), m.sha256Fingerprint());
        return m;
    }

    /** Reads a certificate chain and its private key from PEM files. */
    public static TlsMaterial load(Path certificate, Path key) {
        List<X509Certificate> chain = readCertificates(certificate);
        PrivateKey privateKey = readPrivateKey(key);
        if (!matches(privateKey, chain.get(0))) {
            throw new ConfigException("tls.key: " + key + " is not the key of the certificate in " + certificate
                    + "; give the matching pair, or remove both files to generate a new self-signed pair");
        }
        return new TlsMaterial(certificate, key, chain, privateKey, false);
    }

    /**
     * Generates a self-signed EC P-256 certificate for {@code hosts} (names or IP literals), {@code localhost} and
     * {@code 127.0.0.1}, and writes it and its key; neither file may exist.
     */
    public static TlsMaterial generate(Path certificate, Path key, List<String> hosts, Clock clock) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = kpg.generateKeyPair();
            X509Certificate cert = selfSigned(pair, hosts, clock.instant());
            write(certificate, key, cert, pair.getPrivate());
            return new TlsMaterial(certificate, key, List.of(cert), pair.getPrivate(), true);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new ConfigException("tls.certificate: cannot generate a self-signed certificate in "
                    + certificate.getParent() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); check that the data directory is writable, or give a certificate with tls.certificate"
                    + " and tls.key", e);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair, List<String> hosts, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        List<String> names = sanNames(hosts);
        String cn = names.get(0).length() <= 64 ? names.get(0) : "parley";
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Parley (self-signed)")
                .addRDN(BCStyle.CN, cn)
                .build();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        // notBefore an hour back: a phone whose clock runs a little behind must not see a certificate from the future
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(GENERATED_VALIDITY)), subject,
                pair.getPublic());
        List<GeneralName> san = new ArrayList<>();
        for (String name : names) {
            san.add(Addresses.literal(name).isPresent()
                    ? new GeneralName(GeneralName.iPAddress, Addresses.literal(name).orElseThrow().getHostAddress())
                    : new GeneralName(GeneralName.dNSName, name));
        }
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(san.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        // serverAuth for listeners, clientAuth because the stack offers it as client certificate on outbound TLS
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(pair.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    /** The advertised hosts, then localhost and 127.0.0.1, without duplicates. */
    private static List<String> sanNames(List<String> hosts) {
        Set<String> names = new LinkedHashSet<>();
        for (String h : hosts) {
            if (h != null && !h.isBlank()) {
                names.add(h.startsWith("[") ? h.substring(1, h.length() - 1) : h.toLowerCase(Locale.ROOT));
            }
        }
        names.add("localhost");
        names.add("127.0.0.1");
        return List.copyOf(names);
    }

    private static void write(Path certificate, Path key, X509Certificate cert, PrivateKey privateKey)
            throws IOException {
        StringWriter certPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(certPem)) {
            w.writeObject(cert);
        }
        StringWriter keyPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(keyPem)) {
            w.writeObject(new JcaPKCS8Generator(privateKey, null));
        }
        Files.createDirectories(key.toAbsolutePath().getParent());
        Files.createDirectories(certificate.toAbsolutePath().getParent());
        // the key file is created rw------- before a byte goes in, so it is never readable by others, even briefly
        writeNew(key, keyPem.toString(), "rw-------");
        writeNew(certificate, certPem.toString(), "rw-r--r--");
    }

    /** Writes a file that must not exist: first to a temporary name with its final mode, then renamed into place. */
    private static void writeNew(Path file, String content, String mode) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            // createFile applies the umask; set the mode again so cert.pem is 0644 whatever the umask
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, US_ASCII);
        if (Files.exists(file)) {
            Files.delete(tmp);
            throw new FileAlreadyExistsException(file.toString());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, US_ASCII); PEMParser pem = new PEMParser(r)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            Object o;
            while ((o = pem.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                } else {
                    throw new ConfigException("tls.certificate: " + file + " holds a " + kind(o) + " where"
                            + " certificates (BEGIN CERTIFICATE) were expected; " + FIX);
                }
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("tls.certificate: " + file + " does not exist; fix the path, or remove the"
                    + " setting to use a generated self-signed certificate");
        } catch (IOException | CertificateException | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("tls.certificate: " + file + " is not a readable PEM certificate ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); "
                    + FIX);
        }
        if (out.isEmpty()) {
            throw new ConfigException("tls.certificate: " + file + " holds no PEM certificate (no BEGIN CERTIFICATE"
                    + " block); " + FIX);
        }
        return out;
    }

    private static PrivateKey readPrivateKey(Path file) {
        Object o;
        try (Reader r = Files.newBufferedReader(file, US_ASCII); PEMParser pem = new PEMParser(r)) {
            do {
                o = pem.readObject();
            } while (o instanceof org.bouncycastle.asn1.ASN1ObjectIdentifier
                    || o instanceof org.bouncycastle.asn1.x9.X9ECParameters); // "EC PARAMETERS" before the key
        } catch (NoSuchFileException e) {
            throw new ConfigException("tls.key: " + file + " does not exist; fix the path, or remove the setting"
                    + " to use a generated self-signed certificate");
        } catch (IOException | RuntimeException e) {
            // never the message of a parser exception: it may quote the file's content
            throw new ConfigException("tls.key: " + file + " is not a readable PEM private key ("
                    + e.getClass().getSimpleName() + "); " + FIX);
        }
        PrivateKeyInfo info = o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                : o instanceof PrivateKeyInfo i ? i : null;
        if (info != null) {
            String algorithm = KEY_ALGORITHMS.get(info.getPrivateKeyAlgorithm().getAlgorithm().getId());
            if (algorithm == null) {
                throw new ConfigException("tls.key: " + file + " holds a key of a kind Parley cannot use (algorithm"
                        + " " + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + "); use an RSA, EC or"
                        + " Ed25519 key");
            }
            try {
                // the JDK's own key classes, so JSSE and the key store take the key as they take any other
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new ConfigException("tls.key: " + file + " holds a private key Parley cannot use ("
                        + e.getClass().getSimpleName() + "); " + FIX);
            }
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new ConfigException("tls.key: " + file + " is encrypted with a passphrase, which Parley cannot"
                    + " type at startup; decrypt it (openssl pkey -in key.pem -out key.pem) and keep it mode 0600");
        }
        if (o == null) {
            throw new ConfigException("tls.key: " + file + " holds no PEM private key (no BEGIN PRIVATE KEY"
                    + " block); " + FIX);
        }
        throw new ConfigException("tls.key: " + file + " holds a " + kind(o) + " where a private key was expected; "
                + FIX);
    }

    private static String kind(Object o) {
        if (o instanceof X509CertificateHolder) {
            return "certificate";
        }
        if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair
                || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            return "private key";
        }
        return "PEM block of another kind (" + o.getClass().getSimpleName() + ")";
    }

    /** Whether {@code key} belongs to {@code cert}: signs a nonce with the key and verifies it with the certificate. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(nonce);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(nonce);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b).toCharArray();
    }

    /** For {@code TransportConfig.builder().tlsKeyManagers(...)} and, later, the HTTPS server. */
    public KeyManagerFactory keyManagers() {
        return keyManagers;
    }

    /** The in-memory PKCS#12 key store behind {@link #keyManagers()}; its entry is named {@code parley}. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The server certificate (first of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The server certificate followed by any intermediates, as the PEM file listed them. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** SHA-256 of the server certificate's DER encoding, upper-case hex pairs joined by colons. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when this run generated the certificate (first start). */
    public boolean generated() {
        return generated;
    }

    public Path certificatePath() {
        return certificatePath;
    }

    public Path keyPath() {
        return keyPath;
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + certificatePath + ", " + sha256Fingerprint() + "]";
    }
}
