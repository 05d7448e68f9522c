package dev.parley.bench.webrtc;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.dtls.DtlsCertificate;
import dev.parley.rtp.dtls.DtlsConnection;
import dev.parley.rtp.dtls.DtlsFailure;
import dev.parley.rtp.dtls.DtlsFingerprint;
import dev.parley.rtp.dtls.DtlsRole;
import dev.parley.rtp.dtls.DtlsSettings;
import dev.parley.rtp.dtls.DtlsSrtpSession;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;
import dev.parley.rtp.stun.StunAttribute;
import dev.parley.rtp.stun.StunClass;
import dev.parley.rtp.stun.StunKey;
import dev.parley.rtp.stun.StunMessage;
import dev.parley.rtp.stun.StunWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Browser ↔ SIP calls through Parley's media plane ({@link dev.parley.bench.media.ParleyRelayMain}, pinned to a
 * core of its own, with a shared WebRTC port), the browsers played by this process since N Chromiums are too
 * heavy: per call a WebRTC leg and a plain RTP leg, bridged.
 *
 * <p>Each browser leg does what Chromium does on the wire: a STUN Binding request with USE-CANDIDATE,
 * ICE-CONTROLLING, PRIORITY, MESSAGE-INTEGRITY with Parley's ice-pwd and FINGERPRINT (RFC 8445 §7.2.2, parley-rtp
 * {@code stun}), then a DTLS client handshake ({@code a=setup:active}; parley-rtp {@code dtls}), then SRTP with the
 * exported keys, and a consent check every 5 s (RFC 7675). The phone leg is plain RTP. Every call sends 20 ms
 * PCMU (172-byte RTP) both ways: browser → Parley (SRTP, decrypted) → phone, and phone → Parley (encrypted) →
 * browser, where this process decrypts it. Sends are spread over each 20 ms tick.
 *
 * <p>Only packets sent in the measured window are counted on arrival (a count the generator writes at the start of each
 * payload, since the relay may renumber RTP headers). RTCP that Parley sends is left out; an SRTP packet that fails to authenticate is
 * counted as a failure.
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.parley.bench.webrtc.BrowserCallLoad CONTROL_PORT CALLS WARMUP_S
 * MEASURE_S RELAY_PID}. Prints one line: {@code calls sent_to_phone received_at_phone sent_to_browser
 * received_at_browser relay_cpu_seconds measure_seconds setup_seconds srtp_failures duplicates
 * refused_sends}.
 */
public final class BrowserCallLoad {
    private static final int PAYLOAD = 160;
    private static final int TICK_NANOS = 20_000_000;
    private static final long CONSENT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final List<Call> calls = new ArrayList<>();
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final SplittableRandom random = new SplittableRandom();
    private final BufferedReader control;
    private final Writer controlOut;

    private BrowserCallLoad(Socket socket) throws IOException {
        this.control = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.controlOut = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
    }

    /** One call: the browser's socket and SRTP contexts, the phone's socket, and counts of the measured window. */
    private static final class Call {
        DatagramChannel browser;
        DatagramChannel phone;
        InetSocketAddress parleyBrowserSide;
        InetSocketAddress parleyPhoneSide;
        String iceUsername;
        StunKey iceKey;
        SrtpSender srtpOut;
        SrtpReceiver srtpIn;
        long plainId;
        long webRtcId;
        int ssrcBrowser;
        int ssrcPhone;
        int seq;
        int seqAtMeasure = Integer.MAX_VALUE;
        long nextConsent;
        long sentToPhone;
        long receivedAtPhone;
        long sentToBrowser;
        long receivedAtBrowser;
        final java.util.BitSet seenAtPhone = new java.util.BitSet();
        final java.util.BitSet seenAtBrowser = new java.util.BitSet();
    }

    public static void main(String[] args) throws Exception {
        int controlPort = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int warmupSeconds = Integer.parseInt(args[2]);
        int measureSeconds = Integer.parseInt(args[3]);
        long relayPid = Long.parseLong(args[4]);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), controlPort)) {
            socket.setTcpNoDelay(true);
            BrowserCallLoad load = new BrowserCallLoad(socket);
            long setup0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                load.calls.add(load.setUp(i));
                load.keepConsent(); // setting up many calls takes longer than the 30 s consent limit
            }
            double setupSeconds = (System.nanoTime() - setup0) / 1e9;
            try {
                load.run(warmupSeconds, measureSeconds, relayPid, setupSeconds);
            } finally {
                load.tearDown();
            }
        }
    }

    private String command(String line) throws IOException {
        controlOut.write(line + "\n");
        controlOut.flush();
        String answer = control.readLine();
        if (answer == null || !answer.startsWith("ok")) {
            throw new IOException(line + " -> " + answer);
        }
        return answer.substring(2).trim();
    }

    /** Opens both endpoints, bridges them, and brings the browser leg up: ICE check, DTLS, SRTP keys. */
    private Call setUp(int index) throws Exception {
        Call c = new Call();
        c.browser = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        c.phone = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        for (DatagramChannel ch : List.of(c.browser, c.phone)) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        }
        String[] plain = command("open phone-" + index).split(" ");
        c.plainId = Long.parseLong(plain[0]);
        c.parleyPhoneSide = new InetSocketAddress(plain[1], Integer.parseInt(plain[2]));
        String[] web = command("openwebrtc browser-" + index).split(" ");
        c.webRtcId = Long.parseLong(web[0]);
        c.parleyBrowserSide = new InetSocketAddress(web[1], Integer.parseInt(web[2]));
        String localUfrag = "b" + Integer.toHexString(random.nextInt(1 << 24)) + index;
        String localPwd = HexFormat.of().formatHex(randomBytes(12));
        c.iceUsername = web[3] + ":" + localUfrag;
        c.iceKey = StunKey.shortTerm(web[4]);
        DtlsFingerprint parleyFingerprint = DtlsFingerprint.parse(web[5] + " " + web[6]).orElseThrow();
        InetSocketAddress browserAddress = (InetSocketAddress) c.browser.getLocalAddress();
        InetSocketAddress phoneAddress = (InetSocketAddress) c.phone.getLocalAddress();
        command("configure " + c.plainId + " 127.0.0.1 " + phoneAddress.getPort() + " - -");
        String[] fp = certificate.fingerprint().toSdpValue().split(" ");
        command("configurewebrtc " + c.webRtcId + " 127.0.0.1 " + browserAddress.getPort() + " " + localUfrag + " "
                + localPwd + " " + fp[0] + " " + fp[1]);
        command("bridge " + c.plainId + " " + c.webRtcId);
        c.ssrcBrowser = random.nextInt();
        c.ssrcPhone = random.nextInt();

        // ICE: the nominating check, until Parley answers (RFC 8445 §7.2.5.2: a success response)
        c.browser.configureBlocking(true);
        c.browser.socket().setSoTimeout(0);
        ByteBuffer in = ByteBuffer.allocate(2048);
        boolean answered = false;
        for (int attempt = 0; attempt < 20 && !answered; attempt++) {
            c.browser.send(ByteBuffer.wrap(check(c, true)), c.parleyBrowserSide);
            answered = receiveWithin(c.browser, in, 250) && in.get(0) == 0x01 && in.get(1) == 0x01;
        }
        if (!answered) {
            throw new IOException("no ICE success response for call " + index);
        }

        // DTLS: this side is the client (a=setup:active), Parley the server
        CompletableFuture<DtlsConnection> connected = new CompletableFuture<>();
        DtlsSrtpSession dtls = DtlsSrtpSession.start(DtlsRole.CLIENT, certificate, List.of(parleyFingerprint),
                DtlsSettings.defaults(), new DtlsSrtpSession.Listener() {
                    @Override
                    public void onSend(byte[] datagram) {
                        try {
                            c.browser.send(ByteBuffer.wrap(datagram), c.parleyBrowserSide);
                        } catch (IOException e) {
                            connected.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onConnected(DtlsConnection connection) {
                        connected.complete(connection);
                    }

                    @Override
                    public void onFailed(DtlsFailure failure) {
                        connected.completeExceptionally(new IOException(failure.toString()));
                    }
                }, Runnable::run);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!connected.isDone() && System.nanoTime() < deadline) {
            if (receiveWithin(c.browser, in, 100)) {
                int first = in.get(0) & 0xff;
                if (first >= 20 && first <= 63) { // RFC 7983: DTLS
                    dtls.receive(in.array(), 0, in.limit());
                }
            }
        }
        DtlsConnection connection = connected.get(1, TimeUnit.SECONDS);
        c.srtpOut = connection.keys().newSender();
        c.srtpIn = connection.keys().newReceiver();
        c.browser.configureBlocking(false);
        c.phone.configureBlocking(false);
        c.nextConsent = System.nanoTime() + CONSENT_NANOS;
        return c;
    }

    /** A consent check on every browser leg whose last one is 5 s old (RFC 7675 §5.1); answers are ignored. */
    private void keepConsent() throws IOException {
        long now = System.nanoTime();
        for (Call c : calls) {
            if (now >= c.nextConsent) {
                c.browser.send(ByteBuffer.wrap(check(c, false)), c.parleyBrowserSide);
                c.nextConsent = now + CONSENT_NANOS;
            }
        }
    }

    private static boolean receiveWithin(DatagramChannel channel, ByteBuffer in, int millis) throws IOException {
        try (Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            if (selector.select(millis) == 0) {
                return false;
            }
            in.clear();
            channel.receive(in);
            in.flip();
            return true;
        } finally {
            channel.configureBlocking(true);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A browser's connectivity check (nominating when {@code nominate}); later ones are consent checks. */
    private byte[] check(Call c, boolean nominate) {
        byte[] out = new byte[200];
        StunWriter w = new StunWriter().begin(out, 0, out.length, StunClass.REQUEST.type(StunMessage.BINDING),
                randomBytes(12), 0);
        w.text(StunAttribute.USERNAME, c.iceUsername);
        w.priority(0x6e0001ffL);
        w.iceControlling(random.nextLong());
        if (nominate) {
            w.useCandidate();
        }
        w.messageIntegrity(c.iceKey);
        w.fingerprint();
        return Arrays.copyOf(out, w.finish());
    }

    private void run(int warmupSeconds, int measureSeconds, long relayPid, double setupSeconds) throws Exception {
        Selector selector = Selector.open();
        for (Call c : calls) {
            c.browser.register(selector, SelectionKey.OP_READ, c);
            c.phone.register(selector, SelectionKey.OP_READ, c);
        }
        PacketBuffer packet = new PacketBuffer(PAYLOAD + 12 + 64);
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        byte[] inArray = new byte[2048];
        PacketBuffer inPacket = new PacketBuffer(inArray, 0, 0);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long sendUntil = measureFrom + TimeUnit.SECONDS.toNanos(measureSeconds);
        long drainUntil = sendUntil + TimeUnit.MILLISECONDS.toNanos(Long.getLong("drainMillis", 500));
        long cpuAtMeasure = -1;
        long srtpFailures = 0;
        long duplicates = 0;
        long refused = 0;
        boolean measuring = false;
        int n = calls.size();
        int sentThisTick = 0;
        long tickStart = start;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                measuring = true;
                cpuAtMeasure = cpuNanos(relayPid);
                for (Call c : calls) {
                    c.sentToPhone = c.receivedAtPhone = c.sentToBrowser = c.receivedAtBrowser = 0;
                    c.seqAtMeasure = c.seq; // what was sent before is not counted when it arrives
                }
            }
            if (now >= drainUntil) {
                break;
            }
            // sends due by now: call i sends at tickStart + i * 20 ms / n
            if (now < sendUntil) {
                if (now - tickStart >= TICK_NANOS) {
                    tickStart += TICK_NANOS;
                    sentThisTick = 0;
                    if (now - tickStart >= TICK_NANOS) { // this process stalled: skip, do not burst
                        tickStart = now;
                    }
                }
                int due = (int) Math.min(n, (long) n * (now - tickStart) / TICK_NANOS + 1);
                for (; sentThisTick < due; sentThisTick++) {
                    Call c = calls.get(sentThisTick);
                    c.seq++;
                    writeRtp(packet, c.seq, c.ssrcBrowser);
                    if (c.srtpOut.protectRtp(packet) == SrtpStatus.OK) {
                        if (c.browser.send(ByteBuffer.wrap(packet.array(), packet.offset(), packet.length()),
                                c.parleyBrowserSide) > 0) {
                            c.sentToPhone++;
                        } else if (measuring) {
                            refused++;
                        }
                    }
                    writeRtp(packet, c.seq, c.ssrcPhone);
                    if (c.phone.send(ByteBuffer.wrap(packet.array(), packet.offset(), packet.length()),
                            c.parleyPhoneSide) > 0) {
                        c.sentToBrowser++;
                    } else if (measuring) {
                        refused++;
                    }
                    if (now >= c.nextConsent) {
                        c.browser.send(ByteBuffer.wrap(check(c, false)), c.parleyBrowserSide);
                        c.nextConsent = now + CONSENT_NANOS;
                    }
                }
            }
            if (selector.selectNow() == 0) {
                Thread.onSpinWait();
                continue;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Call c = (Call) key.attachment();
                DatagramChannel ch = (DatagramChannel) key.channel();
                while (true) {
                    in.clear();
                    if (ch.receive(in) == null) {
                        break;
                    }
                    in.flip();
                    int length = in.remaining();
                    in.get(inArray, 0, length);
                    int first = inArray[0] & 0xff;
                    int type = inArray[1] & 0x7f;
                    if (length < 12 || first < 128 || first > 191 || type >= 72 && type <= 76) {
                        continue; // STUN consent responses, DTLS (RFC 7983), RTCP (RFC 5761 §4)
                    }
                    if (ch == c.phone) {
                        int seq = stamp(inArray, length);
                        if (seq < 0) {
                            continue;
                        } else if (c.seenAtPhone.get(seq)) {
                            duplicates++;
                        } else if (seq > c.seqAtMeasure) {
                            c.seenAtPhone.set(seq);
                            c.receivedAtPhone++;
                        }
                        continue;
                    }
                    inPacket.set(inArray, 0, length);
                    if (c.srtpIn.unprotectRtp(inPacket) != SrtpStatus.OK) {
                        srtpFailures++;
                        continue;
                    }
                    int seq = stamp(inArray, inPacket.length());
                    if (seq < 0) {
                        continue;
                    } else if (c.seenAtBrowser.get(seq)) {
                        duplicates++;
                    } else if (seq > c.seqAtMeasure) {
                        c.seenAtBrowser.set(seq);
                        c.receivedAtBrowser++;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        long cpu = cpuNanos(relayPid) - cpuAtMeasure;
        long sentToPhone = 0;
        long receivedAtPhone = 0;
        long sentToBrowser = 0;
        long receivedAtBrowser = 0;
        for (Call c : calls) {
            sentToPhone += c.sentToPhone;
            receivedAtPhone += c.receivedAtPhone;
            sentToBrowser += c.sentToBrowser;
            receivedAtBrowser += c.receivedAtBrowser;
        }
        System.out.printf("%d %d %d %d %d %.3f %.3f %.1f %d %d %d%n", calls.size(), sentToPhone, receivedAtPhone,
                sentToBrowser, receivedAtBrowser, cpu / 1e9, (drainUntil - measureFrom) / 1e9, setupSeconds,
                srtpFailures, duplicates, refused);
    }

    private static void writeRtp(PacketBuffer packet, int seq, int ssrc) {
        byte[] a = packet.array();
        int o = packet.offset();
        a[o] = (byte) 0x80;
        a[o + 1] = 0; // PCMU
        a[o + 2] = (byte) (seq >>> 8);
        a[o + 3] = (byte) seq;
        int ts = seq * PAYLOAD;
        a[o + 4] = (byte) (ts >>> 24);
        a[o + 5] = (byte) (ts >>> 16);
        a[o + 6] = (byte) (ts >>> 8);
        a[o + 7] = (byte) ts;
        a[o + 8] = (byte) (ssrc >>> 24);
        a[o + 9] = (byte) (ssrc >>> 16);
        a[o + 10] = (byte) (ssrc >>> 8);
        a[o + 11] = (byte) ssrc;
        Arrays.fill(a, o + 12, o + 12 + PAYLOAD, (byte) 0xff); // μ-law silence
        // the generator's own count in the payload: a relay may renumber the RTP header (its own SSRC and sequence)
        a[o + 12] = (byte) (seq >>> 24);
        a[o + 13] = (byte) (seq >>> 16);
        a[o + 14] = (byte) (seq >>> 8);
        a[o + 15] = (byte) seq;
        packet.length(12 + PAYLOAD);
    }

    /** The count {@link #writeRtp} put at the start of the payload (RFC 3550 §5.1 header, CSRCs, extension), or -1. */
    private static int stamp(byte[] a, int length) {
        int header = 12 + 4 * (a[0] & 0x0f);
        if ((a[0] & 0x10) != 0 && length >= header + 4) {
            header += 4 + 4 * (((a[header + 2] & 0xff) << 8) | (a[header + 3] & 0xff));
        }
        if (length < header + 4) {
            return -1;
        }
        return ((a[header] & 0xff) << 24) | ((a[header + 1] & 0xff) << 16) | ((a[header + 2] & 0xff) << 8)
                | (a[header + 3] & 0xff);
    }

    /** utime + stime of every thread of {@code pid} (proc(5): fields 14 and 15, clock ticks of 1/100 s). */
    private static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    private void tearDown() {
        for (Call c : calls) {
            try {
                command("close " + c.plainId);
                command("close " + c.webRtcId);
                c.browser.close();
                c.phone.close();
            } catch (IOException e) {
                // the relay is gone; nothing left to close there
            }
        }
    }
}
