package dev.parley.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.pbx.directory.Device;
import dev.parley.pbx.directory.DeviceId;
import dev.parley.pbx.directory.Extension;
import dev.parley.pbx.directory.SipSecret;
import dev.parley.pbx.directory.User;
import dev.parley.pbx.directory.UserId;
import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.server.config.ConfigLoader;
import dev.parley.server.config.ParleyConfig;
import dev.parley.server.store.Repositories;
import dev.parley.server.store.InMemoryRepositories;
import dev.parley.server.tls.TlsMaterial;
import dev.parley.sipstack.SipStack;
import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import dev.parley.sipstack.transaction.ServerTransaction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's start and stop steps with a real SIP stack on 127.0.0.1 and a stand-in PBX. */
class ServerIT {
    @TempDir
    Path dir;

    private final InMemoryRepositories store = new InMemoryRepositories();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Server server;

    /** Answers every request 200 and records what the server tells it. */
    private final PbxWiring pbx = new PbxWiring() {
        @Override
        public SipStack.Handler handler(ParleyConfig config, Repositories s, Clock clock) {
            events.add("handler:" + (s == store) + ":" + s.users().findByName("admin").isPresent());
            return new SipStack.Handler() {
                @Override
                public void onRequest(ServerTransaction tx, SipRequest request) {
                    tx.respond(SipResponse.to(request, 200).build());
                }

                @Override
                public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
                }

                @Override
                public void onAckFor2xx(SipRequest ack, Flow flow) {
                }

                @Override
                public void onStrayResponse(SipResponse response, Flow flow) {
                }

                @Override
                public void onTimeout(ServerTransaction transaction) {
                }

                @Override
                public void onTransportError(ServerTransaction transaction) {
                }
            };
        }

        @Override
        public void attach(SipStack stack) {
            events.add("attach:" + stack.boundPort(Transport.UDP));
        }

        @Override
        public void close() {
            events.add("close:" + store.isClosed());
        }

        @Override
        public void drain(Duration deadline, Duration retryAfter) {
            events.add("drain:" + deadline.toSeconds() + ":" + retryAfter.toSeconds());
        }
    };

    private ParleyConfig config() {
        // no shared WebRTC port: by default it is media.port-min (20000), bound at start, which a test server of
        // another JVM (ParleyUnderTest's first media block) may hold
        return new ConfigLoader(Map.of("PARLEY_MEDIA_WEBRTC_PORT", "-1"), dir).load(null, List.of(
                new ConfigLoader.Override("sip.bind-address", "127.0.0.1", "--bind"),
                new ConfigLoader.Override("sip.udp-port", "0", "--sip-port"),
                new ConfigLoader.Override("sip.tcp-port", "0", "--sip-port"),
                new ConfigLoader.Override("sip.tls-port", "0", "--tls-port"),
                new ConfigLoader.Override("web.https-port", "0", "--https-port")));
    }

    private Server newServer(ParleyConfig config, PbxWiring wiring) {
        TlsMaterial tls = TlsMaterial.forConfig(config, Clock.systemUTC());
        return new Server(config, tls, (c, cipher) -> store, wiring,
                new PrintStream(console, true, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void startsInOrderAndAnswersSipOnTheBoundPort() throws Exception {
        server = newServer(config(), pbx);
        server.start();

        int udp = server.boundPort(Transport.UDP);
        assertThat(udp).isPositive();
        assertThat(server.boundPort(Transport.TLS)).isPositive();
        assertThat(events).containsExactly("handler:true:true", "attach:-1");
        String banner = console.toString(StandardCharsets.UTF_8);
        assertThat(banner).contains("username   admin")
                .contains("udp 127.0.0.1:" + udp)
                .contains("tls 127.0.0.1:" + server.boundPort(Transport.TLS))
                .contains("web        https://127.0.0.1:" + server.httpsPort() + "/")
                .contains("wss://127.0.0.1:" + server.httpsPort() + "/ws");
        assertThat(server.httpsPort()).as("the web server listens on its own ephemeral port").isPositive();
        assertThat(dir.resolve("data/secret.key")).exists();

        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(3000);
            byte[] options = ("OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=z9hG4bK-srv-1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:test@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: srv-it-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            phone.send(new DatagramPacket(options, options.length, new InetSocketAddress("127.0.0.1", udp)));
            DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
            phone.receive(in);
            ParseResult r = SipParser.standard().parseDatagram(in.getData(), 0, in.getLength());
            assertThat(((ParseResult.Parsed) r).message()).isInstanceOfSatisfying(SipResponse.class,
                    resp -> assertThat(resp.status()).isEqualTo(200));
        }
    }

    @Test
    void tlsListenerPresentsTheServersCertificate() throws Exception {
        ParleyConfig config = config();
        server = newServer(config, pbx);
        server.start();
        TlsMaterial tls = TlsMaterial.load(config.certificatePath(), config.keyPath());

        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1",
                server.boundPort(Transport.TLS))) {
            s.startHandshake();
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(tls.certificate());
        }
    }

    @Test
    void stopDrainsThenClosesAndIsIdempotent() {
        server = newServer(config(), pbx);
        server.start();
        server.stop();
        server.stop();

        assertThat(events).containsExactly("handler:true:true", "attach:-1", "drain:30:10", "close:false");
        assertThat(store.isClosed()).isTrue();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theAdminBannerIsPrintedOnlyOnTheFirstStart() {
        server = newServer(config(), pbx);
        server.start();
        server.stop();
        assertThat(console.toString(StandardCharsets.UTF_8)).containsOnlyOnce("password   ");

        console.reset();
        server = newServer(config(), pbx);
        server.start();
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFailedStartClosesTheStoreAndStillShowsTheNewAdminPassword() {
        server = newServer(config(), (c, r, clk) -> {
            throw new IllegalStateException("no PBX today");
        });

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessage("no PBX today");

        assertThat(store.isClosed()).isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("username   admin")
                .contains("udp 127.0.0.1:0");
    }

    @Test
    void aPortInUseFailsTheStartWithTheTransportNamed() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            ParleyConfig config = new ConfigLoader(Map.of(), dir).load(null, List.of(
                    new ConfigLoader.Override("sip.bind-address", "127.0.0.1", "--bind"),
                    new ConfigLoader.Override("sip.udp-port", Integer.toString(taken.getLocalPort()), "--sip-port"),
                    new ConfigLoader.Override("sip.tcp-port", "-1", "--sip-port"),
                    new ConfigLoader.Override("sip.tls-port", "-1", "--tls-port"),
                    new ConfigLoader.Override("web.https-port", "0", "--https-port")));
            server = newServer(config, pbx);
            assertThatThrownBy(server::start).isInstanceOf(dev.parley.server.config.ConfigException.class)
                    .hasMessageStartingWith("sip: cannot listen for SIP over UDP on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("sip.udp-port");
            assertThat(store.isClosed()).isTrue();
        }
    }

    @Test
    void anHttpsPortInUseFailsTheStartWithTheWebSettingsNamedAndClosesTheStack() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ParleyConfig config = new ConfigLoader(Map.of(), dir).load(null, List.of(
                    new ConfigLoader.Override("sip.bind-address", "127.0.0.1", "--bind"),
                    new ConfigLoader.Override("sip.udp-port", "0", "--sip-port"),
                    new ConfigLoader.Override("sip.tcp-port", "-1", "--sip-port"),
                    new ConfigLoader.Override("sip.tls-port", "-1", "--tls-port"),
                    new ConfigLoader.Override("web.https-port", Integer.toString(taken.getLocalPort()),
                            "--https-port")));
            server = newServer(config, pbx);
            assertThatThrownBy(server::start).isInstanceOf(dev.parley.server.config.ConfigException.class)
                    .hasMessageStartingWith("web: cannot listen for HTTPS on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("web.https-port");
            assertThat(server.isRunning()).isFalse();
            assertThat(server.boundPort(Transport.UDP)).as("the SIP stack was closed again").isEqualTo(-1);
            assertThat(store.isClosed()).isTrue();
        }
    }

    @Test
    void theRealPbxAnswersOptionsAndRegistersADeviceWithDigest() throws Exception {
        User alice = new User(UserId.random(), "alice", "Alice");
        store.users().save(alice);
        store.extensions().save(new Extension("101", alice.id()));
        store.devices().save(new Device(DeviceId.random(), alice.id(), "alice-desk", SipSecret.of("s3cret-pass"), ""));
        server = newServer(config(), PbxWiring.standard());
        server.start();
        int udp = server.boundPort(Transport.UDP);

        try (DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            phone.setSoTimeout(3000);
            SipResponse options = exchange(phone, udp, "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                    + headers(phone, "opt-1", "1 OPTIONS", "sip:101@127.0.0.1") + "\r\n");
            assertThat(options.status()).isEqualTo(200);
            assertThat(options.allow()).contains("INVITE", "REGISTER");

            String register = "REGISTER sip:127.0.0.1 SIP/2.0\r\n";
            String contact = "Contact: <sip:101@127.0.0.1:" + phone.getLocalPort() + ">\r\nExpires: 300\r\n";
            SipResponse challenge = exchange(phone, udp, register
                    + headers(phone, "reg-1", "1 REGISTER", "sip:101@127.0.0.1") + contact + "\r\n");
            assertThat(challenge.status()).isEqualTo(401);
            Challenge first = challenge.wwwAuthenticates().get(0);
            assertThat(first.realm()).isEqualTo("parley");
            assertThat(first.algorithm()).isEqualTo("SHA-256");

            String ha1 = Digest.ha1(DigestAlgorithm.SHA_256, "alice-desk", "parley", "s3cret-pass");
            String ha2 = Digest.ha2(DigestAlgorithm.SHA_256, "REGISTER", "sip:127.0.0.1");
            String response = Digest.response(DigestAlgorithm.SHA_256, ha1, first.nonce(), "00000001", "c0ffee",
                    "auth", ha2);
            String authorization = "Authorization: Digest username=\"alice-desk\", realm=\"parley\", nonce=\""
                    + first.nonce() + "\", uri=\"sip:127.0.0.1\", response=\"" + response + "\", algorithm=SHA-256,"
                    + " qop=auth, nc=00000001, cnonce=\"c0ffee\"" + (first.opaque() == null ? ""
                    : ", opaque=\"" + first.opaque() + "\"") + "\r\n";
            SipResponse ok = exchange(phone, udp, register
                    + headers(phone, "reg-1", "2 REGISTER", "sip:101@127.0.0.1") + contact + authorization + "\r\n");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(store.bindings().findAll()).hasSize(1);
        }
    }

    private static String headers(DatagramSocket phone, String callId, String cseq, String aor) {
        return "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=z9hG4bK-" + callId + "-"
                + cseq.charAt(0) + ";rport\r\nMax-Forwards: 70\r\nFrom: <" + aor + ">;tag=ph1\r\nTo: <" + aor
                + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n";
    }

    private static SipResponse exchange(DatagramSocket phone, int port, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        phone.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
        while (true) {
            DatagramPacket in = new DatagramPacket(new byte[8192], 8192);
            phone.receive(in);
            ParseResult r = SipParser.standard().parseDatagram(in.getData(), 0, in.getLength());
            SipResponse response = (SipResponse) ((ParseResult.Parsed) r).message();
            if (response.status() >= 200) {
                return response;
            }
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
