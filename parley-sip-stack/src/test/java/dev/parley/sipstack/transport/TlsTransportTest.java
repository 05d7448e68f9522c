package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.sip.message.SipResponse;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.tls.TlsProfile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIP over TLS with Parley's profile: TLS 1.2 and 1.3 only, Mozilla intermediate suites, server order. */
class TlsTransportTest {
    private final Sip.Recorder inbound = new Sip.Recorder();
    private SipTransports transports;
    private int port;

    @BeforeAll
    static void warmUp() throws Exception {
        // key generation and the first JSSE context take a while on a busy machine: not part of any one test
        TestCerts.get().trustingClient();
        TlsProfile.serverContext(TestCerts.get().keyManagers());
    }

    @BeforeEach
    void start() {
        transports = new SipTransports(TransportConfig.builder().bindAddress(Sip.LOOPBACK).udpPort(-1).tcpPort(-1)
                .tlsPort(0).tlsKeyManagers(TestCerts.get().keyManagers()).verifyPeers(false).ioThreads(2).build(),
                inbound);
        transports.start();
        port = transports.boundPort(Transport.TLS);
    }

    @AfterEach
    void stop() {
        transports.close();
    }

    private SSLSocket connect(String protocol, String... suites) throws Exception {
        SSLSocket s = (SSLSocket) TestCerts.get().trustingClient().getSocketFactory()
                .createSocket(Sip.LOOPBACK, port);
        s.setSoTimeout(3000);
        s.setEnabledProtocols(new String[] {protocol});
        if (suites.length > 0) {
            s.setEnabledCipherSuites(suites);
        }
        s.startHandshake();
        return s;
    }

    private void roundTrip(SSLSocket s, String callId) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(Sip.bytes(Sip.options("SIP/2.0/TLS client.invalid;rport;branch=z9hG4bK" + callId, callId)));
        out.flush();
        Sip.Arrival a = inbound.next();
        assertThat(a.request().callId()).isEqualTo(callId);
        assertThat(a.request().topVia().rport()).isEqualTo(s.getLocalPort());
        Flow flow = a.flow();
        assertThat(flow.transport()).isEqualTo(Transport.TLS);
        assertThat(flow.isSecure()).isTrue();
        assertThat(flow.id()).startsWith("tls-");
        flow.send(SipResponse.to(a.request(), 200).build());
        assertThat(Sip.readMessage(s.getInputStream())).startsWith("SIP/2.0 200 ").contains("Call-ID: " + callId);
    }

    @Test
    void tls12Works_withAnIntermediateSuite() throws Exception {
        try (SSLSocket s = connect("TLSv1.2")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(TlsProfile.MOZILLA_INTERMEDIATE_SUITES).contains(s.getSession().getCipherSuite());
            roundTrip(s, "tls12");
        }
    }

    @Test
    void tls13Works_withAnIntermediateSuite() throws Exception {
        try (SSLSocket s = connect("TLSv1.3")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(TlsProfile.MOZILLA_INTERMEDIATE_SUITES).contains(s.getSession().getCipherSuite());
            roundTrip(s, "tls13");
        }
    }

    @Test
    void theServerChoosesTheSuiteByItsOwnOrder() throws Exception {
        // the client prefers AES-256; the profile lists AES-128 first, and the server's order wins
        try (SSLSocket s = connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            assertThat(s.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void aSuiteOutsideTheProfileIsRefused() {
        assertThatThrownBy(() -> connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256").close())
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void rfc8996_aTls11ClientHelloIsRefusedWithAProtocolVersionAlert() throws Exception {
        // the JDK client will not even offer TLS 1.1, so the ClientHello is written by hand
        try (Socket s = new Socket(Sip.LOOPBACK, port)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(tls11ClientHello());
            out.flush();
            InputStream in = s.getInputStream();
            byte[] alert = in.readNBytes(7);
            assertThat(alert).hasSize(7);
            assertThat(alert[0]).as("record type alert").isEqualTo((byte) 21);
            assertThat(alert[5]).as("level fatal").isEqualTo((byte) 2);
            assertThat(alert[6]).as("protocol_version or handshake_failure").isIn((byte) 70, (byte) 40);
        }
        assertThat(inbound.arrivals).isEmpty();
    }

    @Test
    void theServerEngineHasTheProfile() throws Exception {
        SSLContext ctx = TlsProfile.serverContext(TestCerts.get().keyManagers());
        SSLEngine engine = TlsProfile.intermediate().newServerEngine(ctx);
        assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(List.of(engine.getEnabledCipherSuites()))
                .isSubsetOf(TlsProfile.MOZILLA_INTERMEDIATE_SUITES)
                .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .startsWith("TLS_AES_128_GCM_SHA256");
    }

    @Test
    void flowToTlsConnectsAsAClientAndTheMessageArrivesOverTls() throws Exception {
        InetSocketAddress target = Sip.loopback(port);
        Flow out = transports.flowTo(Transport.TLS, target, "localhost").get(3, TimeUnit.SECONDS);
        assertThat(out.isOpen()).isTrue();
        assertThat(out.transport()).isEqualTo(Transport.TLS);
        out.send(Sip.bytes(Sip.options("SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKself", "self")));
        Sip.Arrival a = inbound.next();
        assertThat(a.request().callId()).isEqualTo("self");
        assertThat(a.flow().transport()).isEqualTo(Transport.TLS);
        assertThat(a.flow().id()).isNotEqualTo(out.id());
        assertThat(transports.flowTo(Transport.TLS, target).get(1, TimeUnit.SECONDS).id()).isEqualTo(out.id());
    }

    @Test
    void withVerifyPeersAnUntrustedServerCertificateFailsTheFlow() {
        try (SipTransports verifying = new SipTransports(TransportConfig.builder().bindAddress(Sip.LOOPBACK)
                .udpPort(-1).tcpPort(-1).tlsPort(-1).ioThreads(1).build(), new Sip.Recorder())) {
            verifying.start();
            assertThat(verifying.flowTo(Transport.TLS, Sip.loopback(port), "localhost"))
                    .failsWithin(Duration.ofSeconds(3))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    /** A TLS 1.1 ClientHello (RFC 4346 §7.4.1.2) offering two CBC suites and no extensions. */
    private static byte[] tls11ClientHello() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] body = new byte[2 + 32 + 1 + 2 + 4 + 2];
        int i = 0;
        body[i++] = 3;
        body[i++] = 2; // TLS 1.1
        System.arraycopy(random, 0, body, i, 32);
        i += 32;
        body[i++] = 0; // session id
        body[i++] = 0;
        body[i++] = 4;
        body[i++] = (byte) 0xC0;
        body[i++] = 0x13; // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 0x00;
        body[i++] = 0x2F; // TLS_RSA_WITH_AES_128_CBC_SHA
        body[i++] = 1;
        body[i] = 0; // null compression
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 22; // handshake
        record[1] = 3;
        record[2] = 1;
        record[3] = (byte) ((4 + body.length) >> 8);
        record[4] = (byte) (4 + body.length);
        record[5] = 1; // client_hello
        record[6] = 0;
        record[7] = (byte) (body.length >> 8);
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }
}
