package dev.parley.rtp.dtls;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures DTLS-SRTP handshakes per CPU-second, a Parley server session against a Parley client
 * session in memory (ECDHE X25519, ECDSA P-256 both ways, client certificate, key export). Both halves run in this
 * process, so the process CPU time covers server and client; the server's share is about half (the two sides do
 * the same public-key work: one key generation, one ECDH, one signature, one verification each).
 *
 * <p>Run: {@code java -cp <test classpath> dev.parley.rtp.dtls.DtlsHandshakeRate [handshakes]}.
 */
public final class DtlsHandshakeRate {
    private DtlsHandshakeRate() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        DtlsCertificate server = DtlsCertificate.generate();
        DtlsCertificate client = DtlsCertificate.generate();
        run(server, client, Math.max(50, count / 4)); // warm-up: JIT
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        run(server, client, count);
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        System.out.printf("%d handshakes (server+client in one process): %.2f s CPU, %.2f s wall%n", count, cpu, wall);
        System.out.printf("%.0f complete handshakes per CPU-second (both sides); ~%.0f per core for the server side%n",
                count / cpu, 2 * count / cpu);
        System.out.printf("%.2f ms CPU per handshake, both sides%n", cpu * 1000 / count);
    }

    private static void run(DtlsCertificate serverCertificate, DtlsCertificate clientCertificate, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            CompletableFuture<DtlsConnection> serverDone = new CompletableFuture<>();
            CompletableFuture<DtlsConnection> clientDone = new CompletableFuture<>();
            Wire toServer = new Wire();
            Wire toClient = new Wire();
            DtlsSrtpSession server = DtlsSrtpSession.start(DtlsRole.SERVER, serverCertificate,
                    List.of(clientCertificate.fingerprint()), DtlsSettings.defaults(),
                    listener(serverDone, toClient), Runnable::run);
            toServer.connect(server);
            DtlsSrtpSession client = DtlsSrtpSession.start(DtlsRole.CLIENT, clientCertificate,
                    List.of(serverCertificate.fingerprint()), DtlsSettings.defaults(),
                    listener(clientDone, toServer), Runnable::run);
            toClient.connect(client);
            serverDone.get(10, TimeUnit.SECONDS);
            clientDone.get(10, TimeUnit.SECONDS);
            server.close();
            client.close();
        }
    }

    private static DtlsSrtpSession.Listener listener(CompletableFuture<DtlsConnection> done, Wire peer) {
        return new DtlsSrtpSession.Listener() {
            @Override
            public void onSend(byte[] datagram) {
                peer.send(datagram);
            }

            @Override
            public void onConnected(DtlsConnection connection) {
                done.complete(connection);
            }

            @Override
            public void onFailed(DtlsFailure failure) {
                done.completeExceptionally(new IllegalStateException(failure.toString()));
            }
        };
    }
}
