package dev.parley.sipstack.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS Parley speaks, on SIP (TLS, and as a client to trunks) and on HTTPS/WSS (the web module): TLS 1.3 and 1.2 only, with
 * the Mozilla "intermediate" cipher suites (server-side TLS recommendations v5.7) in the server's order of
 * preference, so a client that lists a weaker suite first still gets the stronger one.
 *
 * <p>Engines come from a plain JDK {@link SSLContext}; the suite list is filtered to those the running JDK
 * supports (the DHE and CHACHA20 suites are absent from some builds).
 */
public final class TlsProfile {

    /** Newest first; TLS 1.1 and older are refused (RFC 8996). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Mozilla intermediate, in its order of preference, as IANA names. */
    public static final List<String> MOZILLA_INTERMEDIATE_SUITES = List.of(
            // TLS 1.3
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2: forward secrecy and AEAD only
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private static final TlsProfile INTERMEDIATE = new TlsProfile(PROTOCOLS, MOZILLA_INTERMEDIATE_SUITES);

    private final List<String> protocols;
    private final List<String> cipherSuites;

    private TlsProfile(List<String> protocols, List<String> cipherSuites) {
        this.protocols = List.copyOf(protocols);
        this.cipherSuites = List.copyOf(cipherSuites);
    }

    /** TLS 1.2/1.3 with the Mozilla intermediate suites: Parley's one profile. */
    public static TlsProfile intermediate() {
        return INTERMEDIATE;
    }

    public List<String> protocols() {
        return protocols;
    }

    /** The suites of the profile in preference order, whether or not this JDK supports them. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The profile's protocols that {@code context} supports, newest first. */
    public String[] enabledProtocols(SSLContext context) {
        return filter(protocols, context.getSupportedSSLParameters().getProtocols(), "protocol");
    }

    /** The profile's suites that {@code context} supports, in the profile's order. */
    public String[] enabledCipherSuites(SSLContext context) {
        return filter(cipherSuites, context.getSupportedSSLParameters().getCipherSuites(), "cipher suite");
    }

    private static String[] filter(List<String> wanted, String[] supported, String what) {
        Set<String> have = new HashSet<>(Arrays.asList(supported));
        List<String> out = new ArrayList<>(wanted.size());
        for (String w : wanted) {
            if (have.contains(w)) {
                out.add(w);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("this JDK supports no TLS " + what + " of " + wanted
                    + ": run Parley on a JDK 21+ with the SunJSSE provider");
        }
        return out.toArray(new String[0]);
    }

    /** The parameters a server engine gets: protocols, suites, and the server's suite order. */
    public SSLParameters serverParameters(SSLContext context) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(enabledProtocols(context));
        p.setCipherSuites(enabledCipherSuites(context));
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(false);
        p.setWantClientAuth(false);
        return p;
    }

    /** A server-side engine with {@link #serverParameters}. */
    public SSLEngine newServerEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(serverParameters(context));
        return engine;
    }

    /**
     * A client-side engine for a connection to {@code peerHost:peerPort}.
     *
     * @param serverName the name Parley expects the server to prove (sent as SNI when it is a host name, and
     *     checked against the certificate when {@code verifyName}); {@code null} when only an address is known
     * @param verifyName check the certificate's names against {@code serverName}
     */
    public SSLEngine newClientEngine(SSLContext context, String peerHost, int peerPort, String serverName,
            boolean verifyName) {
        SSLEngine engine = context.createSSLEngine(serverName != null ? serverName : peerHost, peerPort);
        engine.setUseClientMode(true);
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(enabledProtocols(context));
        p.setCipherSuites(enabledCipherSuites(context));
        if (serverName != null && isHostName(serverName)) {
            p.setServerNames(List.of(new SNIHostName(serverName)));
        }
        if (serverName != null && verifyName) {
            // RFC 5922 §7.1 matches SIP domains like RFC 2818 matches HTTP hosts
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(p);
        return engine;
    }

    private static boolean isHostName(String name) {
        if (name.indexOf(':') >= 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return true;
            }
        }
        return false;
    }

    /** A server context for the given key material. */
    public static SSLContext serverContext(KeyManagerFactory keyManagers) {
        return context(keyManagers.getKeyManagers(), null);
    }

    /**
     * A client context. With {@code verifyPeers} the JDK's default trust store decides; without it any certificate
     * is accepted, which is only for tests and lab setups: it gives up authentication of the server.
     *
     * @param keyManagers the client certificate to offer, or {@code null}
     */
    public static SSLContext clientContext(KeyManagerFactory keyManagers, boolean verifyPeers) {
        KeyManager[] km = keyManagers == null ? null : keyManagers.getKeyManagers();
        return context(km, verifyPeers ? null : new TrustManager[] {new TrustAnything()});
    }

    /** Key managers for the certificate and key in {@code keyStore}. */
    public static KeyManagerFactory keyManagers(KeyStore keyStore, char[] password) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS key store cannot be used (" + e.getMessage()
                    + "): check that it holds a private key with its certificate chain and that the password is right",
                    e);
        }
    }

    private static SSLContext context(KeyManager[] km, TrustManager[] tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km, tm, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TlsProfile" + protocols + cipherSuites;
    }

    /** Accepts every server certificate: {@code verifyPeers=false}. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
