package dev.parley.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsConnection;
import dev.parley.rtp.dtls.DtlsFailure;
import dev.parley.rtp.dtls.DtlsFingerprint;
import dev.parley.rtp.dtls.DtlsRole;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.dtls.DtlsSrtpKeys;
import dev.parley.rtp.dtls.DtlsSrtpSession;
import dev.parley.rtp.srtp.SrtpProfile;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The DTLS-SRTP engine against a second implementation: OpenSSL's {@code s_server}/{@code s_client} with
 * {@code -dtls1_2 -use_srtp}, over UDP on 127.0.0.1, Parley in each role and each SRTP profile. OpenSSL prints the
 * RFC 5764 §4.2 exporter output ({@code -keymatexport EXTRACTOR-dtls_srtp}); it must be exactly the client key,
 * server key, client salt and server salt that Parley split into its sender and receiver. Each side also sees the
 * other's real certificate.
 */
class OpensslDtlsIT {
    private static final Pattern KEYING = Pattern.compile("Keying material: ([0-9A-F]+)");
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern PEM = Pattern.compile(
            "(Server|Client) certificate\\R-----BEGIN CERTIFICATE-----\\R([A-Za-z0-9+/=\\r\\n]+?)-----END CERTIFICATE-----");

    private static final DtlsCertificate PARLEY = DtlsCertificate.generate();

    @TempDir
    Path dir;

    private static String opensslName(SrtpProfile profile) {
        return switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> "SRTP_AES128_CM_SHA1_80";
            case AES_CM_128_HMAC_SHA1_32 -> "SRTP_AES128_CM_SHA1_32";
            case AEAD_AES_128_GCM -> "SRTP_AEAD_AES_128_GCM";
        };
    }

    private static int exportLength(SrtpProfile profile) {
        return 2 * (profile.masterKeyLength() + profile.masterSaltLength());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void parleyAsServerWithOpensslClient(SrtpProfile profile) throws Exception {
        Peer openssl = opensslCertificate();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            udp.setSoTimeout(50);
            Output output = start(List.of("openssl", "s_client", "-dtls1_2",
                    "-connect", "127.0.0.1:" + udp.getLocalPort(), "-cert", openssl.cert().toString(),
                    "-key", openssl.key().toString(), "-use_srtp", opensslName(profile),
                    "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", String.valueOf(exportLength(profile))));
            try {
                Relay relay = new Relay(udp, null);
                DtlsSrtpSession session = DtlsSrtpSession.start(DtlsRole.SERVER, PARLEY,
                        List.of(openssl.fingerprint()), DtlsSettings.defaults(), relay, Runnable::run);
                try {
                    relay.pump(session, () -> relay.connected.isDone() && KEYING.matcher(output.text()).find());
                    DtlsConnection connection = relay.connected.getNow(null);
                    assertThat(connection).as("handshake with s_client; its output:%n%s", output.text()).isNotNull();
                    assertThat(output.text()).contains("Protocol  : DTLSv1.2")
                            .contains("SRTP Extension negotiated, profile=" + opensslName(profile));
                    assertExport(output.text(), connection.keys(), DtlsRole.SERVER);
                    assertThat(connection.remoteCertificate()).isEqualTo(openssl.der());
                    assertThat(presented(output.text(), "Server")).isEqualTo(PARLEY.der());

                    // s_client ends on end of input with close_notify, which the session reports as closed.
                    output.process().getOutputStream().close();
                    relay.pump(session, relay.closed::isDone);
                    assertThat(relay.closed).isDone();
                } finally {
                    session.close();
                }
            } finally {
                output.stop();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void parleyAsClientWithOpensslServer(SrtpProfile profile) throws Exception {
        Peer openssl = opensslCertificate();
        Output output = start(List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-verify", "1", "-cert", openssl.cert().toString(), "-key", openssl.key().toString(),
                "-use_srtp", opensslName(profile), "-keymatexport", "EXTRACTOR-dtls_srtp",
                "-keymatexportlen", String.valueOf(exportLength(profile))));
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            udp.setSoTimeout(50);
            int port = Integer.parseInt(output.await(ACCEPT));
            Relay relay = new Relay(udp, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            DtlsSrtpSession session = DtlsSrtpSession.start(DtlsRole.CLIENT, PARLEY, List.of(openssl.fingerprint()),
                    DtlsSettings.defaults(), relay, Runnable::run);
            try {
                relay.pump(session, () -> relay.connected.isDone() && KEYING.matcher(output.text()).find()
                        && output.text().contains("-----END CERTIFICATE-----"));
                DtlsConnection connection = relay.connected.getNow(null);
                assertThat(connection).as("handshake with s_server; its output:%n%s", output.text()).isNotNull();
                assertThat(output.text()).contains("SRTP Extension negotiated, profile=" + opensslName(profile));
                assertExport(output.text(), connection.keys(), DtlsRole.CLIENT);
                assertThat(connection.remoteCertificate()).isEqualTo(openssl.der());
                // RFC 5763 §5: Parley sent its certificate when s_server asked for it.
                assertThat(presented(output.text(), "Client")).isEqualTo(PARLEY.der());
            } finally {
                session.close();
                output.stop();
            }
        }
    }

    @Test
    void opensslServerWithAnotherCertificateThanTheSdpSaysIsRefused() throws Exception {
        Peer openssl = opensslCertificate();
        Output output = start(List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", openssl.cert().toString(), "-key", openssl.key().toString(),
                "-use_srtp", "SRTP_AES128_CM_SHA1_80"));
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            udp.setSoTimeout(50);
            int port = Integer.parseInt(output.await(ACCEPT));
            Relay relay = new Relay(udp, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            DtlsSrtpSession session = DtlsSrtpSession.start(DtlsRole.CLIENT, PARLEY,
                    List.of(DtlsCertificate.generate().fingerprint()), DtlsSettings.defaults(), relay, Runnable::run);
            try {
                relay.pump(session, relay.failed::isDone);
                assertThat(relay.failed).isDone();
                assertThat(relay.failed.get().reason()).isEqualTo(DtlsFailure.Reason.FINGERPRINT_MISMATCH);
                assertThat(relay.connected).isNotDone();
            } finally {
                session.close();
                output.stop();
            }
        }
    }

    /** OpenSSL's export is client key | server key | client salt | server salt (RFC 5764 §4.2). */
    private static void assertExport(String output, DtlsSrtpKeys keys, DtlsRole parley) {
        Matcher matcher = KEYING.matcher(output);
        assertThat(matcher.find()).isTrue();
        byte[] exported = HexFormat.of().parseHex(matcher.group(1));
        int k = keys.profile().masterKeyLength();
        int s = keys.profile().masterSaltLength();
        assertThat(exported).hasSize(2 * (k + s));
        byte[] clientKey = java.util.Arrays.copyOfRange(exported, 0, k);
        byte[] serverKey = java.util.Arrays.copyOfRange(exported, k, 2 * k);
        byte[] clientSalt = java.util.Arrays.copyOfRange(exported, 2 * k, 2 * k + s);
        byte[] serverSalt = java.util.Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s);
        boolean client = parley == DtlsRole.CLIENT;
        assertThat(keys.localMasterKey()).isEqualTo(client ? clientKey : serverKey);
        assertThat(keys.localMasterSalt()).isEqualTo(client ? clientSalt : serverSalt);
        assertThat(keys.remoteMasterKey()).isEqualTo(client ? serverKey : clientKey);
        assertThat(keys.remoteMasterSalt()).isEqualTo(client ? serverSalt : clientSalt);
    }

    /** The DER of the certificate OpenSSL printed as "Server certificate" or "Client certificate". */
    private static byte[] presented(String output, String which) {
        Matcher matcher = PEM.matcher(output);
        while (matcher.find()) {
            if (matcher.group(1).equals(which)) {
                return Base64.getMimeDecoder().decode(matcher.group(2));
            }
        }
        throw new AssertionError("no " + which + " certificate in OpenSSL's output:\n" + output);
    }

    private record Peer(Path cert, Path key, byte[] der, DtlsFingerprint fingerprint) {
    }

    /** A fresh P-256 self-signed certificate made by OpenSSL itself. */
    private Peer opensslCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process req = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=openssl-peer").redirectErrorStream(true)
                .redirectOutput(dir.resolve("req.log").toFile()).start();
        assertThat(req.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(req.exitValue()).as(Files.readString(dir.resolve("req.log"))).isZero();
        byte[] der = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))).getEncoded();
        return new Peer(cert, key, der, DtlsFingerprint.sha256(der));
    }

    /** A running OpenSSL command whose output is collected as it comes. Its input stays open until closed. */
    private record Output(Process process, StringBuffer buffer) {
        String text() {
            return buffer.toString();
        }

        String await(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Matcher matcher = pattern.matcher(text());
                if (matcher.find()) {
                    return matcher.group(1);
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no " + pattern + " in:\n" + text());
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Output start(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer buffer = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    buffer.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        return new Output(process, buffer);
    }

    /** Moves datagrams between the UDP socket and the session; the session's output goes to the OpenSSL peer. */
    private static final class Relay implements DtlsSrtpSession.Listener {
        private final DatagramSocket udp;
        private volatile InetSocketAddress peer;
        final CompletableFuture<DtlsConnection> connected = new CompletableFuture<>();
        final CompletableFuture<DtlsFailure> failed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Relay(DatagramSocket udp, InetSocketAddress peer) {
            this.udp = udp;
            this.peer = peer;
        }

        @Override
        public void onSend(byte[] datagram) {
            InetSocketAddress to = peer;
            if (to == null) {
                return;
            }
            try {
                udp.send(new DatagramPacket(datagram, datagram.length, to));
            } catch (IOException e) {
                // socket closed at the end of the test
            }
        }

        @Override
        public void onConnected(DtlsConnection connection) {
            connected.complete(connection);
        }

        @Override
        public void onFailed(DtlsFailure failure) {
            failed.complete(failure);
        }

        @Override
        public void onClosed() {
            closed.complete(null);
        }

        /** Feeds datagrams from 127.0.0.1 to the session until {@code done}, a failure, or 20 s. */
        void pump(DtlsSrtpSession session, BooleanSupplier done) throws IOException {
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!done.getAsBoolean() && !failed.isDone() && System.nanoTime() < deadline) {
                try {
                    packet.setData(buffer);
                    udp.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (packet.getAddress().isLoopbackAddress()) {
                    peer = (InetSocketAddress) packet.getSocketAddress();
                    session.receive(buffer, 0, packet.getLength());
                }
            }
        }
    }
}
