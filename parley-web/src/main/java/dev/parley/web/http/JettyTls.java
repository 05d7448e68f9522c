package dev.parley.web.http;

import dev.parley.sipstack.tls.TlsProfile;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS set up with {@link TlsProfile}, the one profile SIP over TLS uses: TLS 1.3 and 1.2 only, the Mozilla
 * intermediate suites in the server's order, no renegotiation, no client certificates.
 */
public final class JettyTls {
    private JettyTls() {
    }

    /** A server factory for the certificate and key in {@code keyManagers}. */
    public static SslContextFactory.Server server(KeyManagerFactory keyManagers) {
        TlsProfile profile = TlsProfile.intermediate();
        SSLContext context = TlsProfile.serverContext(keyManagers);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        // include lists replace Jetty's defaults; nothing is left for the exclude lists to remove
        ssl.setIncludeProtocols(profile.enabledProtocols(context));
        ssl.setIncludeCipherSuites(profile.enabledCipherSuites(context));
        ssl.setExcludeCipherSuites();
        ssl.setUseCipherSuitesOrder(true);
        ssl.setRenegotiationAllowed(false);
        ssl.setNeedClientAuth(false);
        ssl.setWantClientAuth(false);
        return ssl;
    }
}
