package dev.parley.bench.media;

import dev.parley.media.MediaSettings;
import dev.parley.media.NettyMediaService;
import dev.parley.mediaapi.CertificateFingerprint;
import dev.parley.mediaapi.Direction;
import dev.parley.mediaapi.EndpointId;
import dev.parley.mediaapi.EndpointParameters;
import dev.parley.mediaapi.EndpointRequest;
import dev.parley.mediaapi.EndpointStats;
import dev.parley.mediaapi.IceCredentials;
import dev.parley.mediaapi.LocalMedia;
import dev.parley.mediaapi.PayloadFormat;
import dev.parley.mediaapi.Protection;
import dev.parley.mediaapi.SrtpSuite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parley's media plane ({@link NettyMediaService}, one event loop) in a process of its own, so that its CPU time
 * is its own and it can be pinned to one core, with a line protocol on TCP 127.0.0.1 for the load generator —
 * the calls the PBX makes after offer/answer, and nothing else:
 *
 * <pre>
 * pid                                     → ok PID
 * open LABEL                              → ok ID HOST RTP_PORT
 * configure ID HOST PORT RECV_KEY SEND_KEY → ok
 *     (keys: "-" for RTP, else the SDES inline base64 of AES_CM_128_HMAC_SHA1_80)
 * bridge ID ID                            → ok
 * openwebrtc LABEL                        → ok ID HOST PORT ICE_UFRAG ICE_PWD FINGERPRINT_HASH FINGERPRINT
 *     (a browser's endpoint: ICE-lite, DTLS-SRTP, on the shared WebRTC port when one is given)
 * configurewebrtc ID HOST PORT ICE_UFRAG ICE_PWD FINGERPRINT_HASH FINGERPRINT → ok
 *     (the browser's ICE credentials and certificate; it is the DTLS client, a=setup:active)
 * close ID                                → ok
 * counters                                → ok RECEIVED SENT DROPPED SRTP_FAILURES
 *     (summed over the endpoints closed since the last counters command: where a step's loss happened)
 * </pre>
 *
 * Errors answer {@code error MESSAGE}. Run: {@code java -cp benchmarks.jar dev.parley.bench.media.ParleyRelayMain
 * CONTROL_PORT PORT_MIN PORT_MAX [WEBRTC_PORT]} (WEBRTC_PORT: the one UDP port all WebRTC endpoints share).
 */
public final class ParleyRelayMain {
    private static final List<PayloadFormat> PCMU = List.of(PayloadFormat.of(0, "PCMU", 8000));
    /** Received, sent, dropped, SRTP failures of the endpoints closed since the last {@code counters}. */
    private static final long[] CLOSED = new long[4];

    private ParleyRelayMain() {
    }

    public static void main(String[] args) throws Exception {
        int controlPort = Integer.parseInt(args[0]);
        int portMin = Integer.parseInt(args[1]);
        int portMax = Integer.parseInt(args[2]);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // -Dparley.media.bind-address=0.0.0.0 (PARLEY_JAVA_OPTS): the media sockets bind as a default install's do
        // (media.bind-address defaults to sip.bind-address's wildcard); the generator still sends to 127.0.0.1
        InetAddress bind = InetAddress.getByName(System.getProperty("parley.media.bind-address", "127.0.0.1"));
        MediaSettings settings = MediaSettings.defaults(bind, loopback)
                .withPortRange(portMin, portMax)
                .withMaxEndpoints((portMax - portMin + 1) / 2)
                .withEventLoops(1)
                .withMediaTimeout(Duration.ofMinutes(10))
                .withWebRtcPort(args.length > 3 ? Integer.parseInt(args[3]) : 0)
                // -Dparley.media.connect-latched=true|false (PARLEY_JAVA_OPTS): an A/B of connected sockets, one jar
                .withConnectedLatchedSockets(Boolean.parseBoolean(System.getProperty("parley.media.connect-latched",
                        Boolean.toString(MediaSettings.DEFAULT_CONNECT_LATCHED_SOCKETS))));
        try (NettyMediaService media = new NettyMediaService(settings);
                ServerSocket control = new ServerSocket(controlPort, 4, loopback)) {
            media.start();
            System.err.println("parley relay: " + media.transport() + ", ports " + portMin + "-" + portMax
                    + ", control 127.0.0.1:" + controlPort + ", pid " + ProcessHandle.current().pid());
            while (true) {
                try (Socket client = control.accept()) {
                    serve(media, client);
                }
            }
        }
    }

    private static void serve(NettyMediaService media, Socket client) throws IOException {
        client.setTcpNoDelay(true);
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.US_ASCII);
        String line;
        while ((line = in.readLine()) != null) {
            String answer;
            try {
                answer = "ok" + execute(media, line.trim().split(" "));
            } catch (Exception e) {
                answer = "error " + e;
            }
            out.write(answer);
            out.write('\n');
            out.flush();
        }
    }

    private static String execute(NettyMediaService media, String[] f) throws Exception {
        switch (f[0]) {
            case "pid" -> {
                return " " + ProcessHandle.current().pid();
            }
            case "open" -> {
                LocalMedia local = media.open(new EndpointRequest(f[1])).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                return " " + local.id().value() + " " + local.rtp().getAddress().getHostAddress() + " "
                        + local.rtp().getPort();
            }
            case "configure" -> {
                media.configure(id(f[1]), new EndpointParameters(
                        new InetSocketAddress(f[2], Integer.parseInt(f[3])), null, true, PCMU, Direction.SENDRECV,
                        protection(f[4]), protection(f[5])));
                return "";
            }
            case "openwebrtc" -> {
                LocalMedia local = media.open(EndpointRequest.webRtc(f[1], null)).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                return " " + local.id().value() + " " + local.rtp().getAddress().getHostAddress() + " "
                        + local.rtp().getPort() + " " + local.webRtc().ice().ufrag() + " "
                        + local.webRtc().ice().password() + " " + local.webRtc().fingerprint().hashFunction() + " "
                        + local.webRtc().fingerprint().digest();
            }
            case "configurewebrtc" -> {
                Protection.DtlsSrtp dtls = new Protection.DtlsSrtp(Protection.DtlsSrtp.Role.SERVER,
                        List.of(new CertificateFingerprint(f[6], f[7])));
                media.configure(id(f[1]), EndpointParameters.webRtc(
                        new InetSocketAddress(f[2], Integer.parseInt(f[3])), PCMU, Direction.SENDRECV, dtls,
                        new IceCredentials(f[4], f[5])));
                return "";
            }
            case "bridge" -> {
                media.bridge(id(f[1]), id(f[2]));
                return "";
            }
            case "close" -> {
                EndpointStats stats = media.stats(id(f[1]));
                if (stats != null) {
                    CLOSED[0] += stats.packetsReceived();
                    CLOSED[1] += stats.packetsSent();
                    CLOSED[2] += stats.packetsDropped();
                    CLOSED[3] += stats.srtpFailures();
                }
                media.close(id(f[1]));
                return "";
            }
            case "counters" -> {
                String answer = " " + CLOSED[0] + " " + CLOSED[1] + " " + CLOSED[2] + " " + CLOSED[3];
                Arrays.fill(CLOSED, 0);
                return answer;
            }
            default -> throw new IllegalArgumentException("unknown command " + f[0]);
        }
    }

    private static EndpointId id(String value) {
        return new EndpointId(Long.parseLong(value));
    }

    private static Protection protection(String inline) {
        if (inline.equals("-")) {
            return Protection.none();
        }
        SdesKey key = SdesKey.fromInline(inline);
        return new Protection.Sdes(SrtpSuite.AES_CM_128_HMAC_SHA1_80, key.key(), key.salt());
    }
}
