package dev.parley.bench.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rtpengine (userspace forwarding) driven over its ng control protocol: UDP datagrams {@code <cookie> <bencoded
 * dictionary>}, answered with the same cookie. A call is an {@code offer} with side A's SDP (rtpengine answers
 * with the SDP to give B, naming its port for B) and an {@code answer} with B's SDP (rtpengine answers with the SDP
 * to give A). With SRTP both SDPs are RTP/SAVP with the sender's {@code a=crypto}; rtpengine decrypts and
 * re-encrypts with keys of its own, which it announces in the SDPs it returns.
 */
final class RtpengineRelay implements Relay {
    private final DatagramSocket socket;
    private final InetSocketAddress ng;
    private final long pid;
    private final String runId = Long.toHexString(System.nanoTime());
    private long cookies;

    RtpengineRelay(InetSocketAddress ng, long pid) throws IOException {
        this.ng = ng;
        this.pid = pid;
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(2000);
    }

    @Override
    public String name() {
        return "rtpengine";
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public RelayedCall setUp(int index, Side a, Side b, boolean srtp) throws IOException {
        String callId = "bench-" + runId + "-" + index;
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("command", "offer");
        offer.put("call-id", callId);
        offer.put("from-tag", "a");
        offer.put("sdp", Sdp.audio(1, a.address(), srtp ? a.key() : null, 1));
        if (srtp) {
            offer.put("transport-protocol", "RTP/SAVP");
        }
        offer.put("replace", List.of("origin", "session-connection"));
        String sdpForB = (String) request(offer).get("sdp");
        InetSocketAddress bSendsTo = Sdp.mediaAddress(sdpForB);
        SdesKey keyToB = null;
        int tagForB = 1;
        if (srtp) {
            Sdp.Crypto crypto = Sdp.cryptos(sdpForB).stream().findFirst()
                    .orElseThrow(() -> new IOException("rtpengine offered no " + SdesKey.SUITE + ":\n" + sdpForB));
            keyToB = crypto.key();
            tagForB = crypto.tag();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("command", "answer");
        answer.put("call-id", callId);
        answer.put("from-tag", "a");
        answer.put("to-tag", "b");
        answer.put("sdp", Sdp.audio(2, b.address(), srtp ? b.key() : null, tagForB));
        answer.put("replace", List.of("origin", "session-connection"));
        String sdpForA = (String) request(answer).get("sdp");
        InetSocketAddress aSendsTo = Sdp.mediaAddress(sdpForA);
        SdesKey keyToA = null;
        if (srtp) {
            keyToA = Sdp.cryptos(sdpForA).stream().findFirst()
                    .orElseThrow(() -> new IOException("rtpengine answered no " + SdesKey.SUITE + ":\n" + sdpForA))
                    .key();
        }
        return new RelayedCall(index, aSendsTo, bSendsTo, keyToA, keyToB, callId);
    }

    @Override
    public void tearDown(RelayedCall call) throws IOException {
        Map<String, Object> delete = new LinkedHashMap<>();
        delete.put("command", "delete");
        delete.put("call-id", call.handle());
        delete.put("from-tag", "a");
        request(delete);
    }

    /** One ng request; retried on timeout (the ng protocol is idempotent per cookie). */
    private Map<String, Object> request(Map<String, Object> message) throws IOException {
        String cookie = runId + "_" + (++cookies);
        byte[] body = Bencode.encode(message);
        byte[] prefix = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, datagram, 0, prefix.length);
        System.arraycopy(body, 0, datagram, prefix.length, body.length);
        byte[] buf = new byte[65535];
        for (int attempt = 0; attempt < 3; attempt++) {
            socket.send(new DatagramPacket(datagram, datagram.length, ng));
            while (true) {
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(reply);
                } catch (SocketTimeoutException e) {
                    break;
                }
                int space = indexOf(buf, reply.getLength(), (byte) ' ');
                if (space < 0 || !new String(buf, 0, space, StandardCharsets.US_ASCII).equals(cookie)) {
                    continue; // a late answer to an earlier attempt
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> answer = (Map<String, Object>) Bencode.decode(buf, space + 1, reply.getLength());
                if (!"ok".equals(answer.get("result"))) {
                    throw new IOException("rtpengine " + message.get("command") + " failed: " + answer);
                }
                return answer;
            }
        }
        throw new IOException("rtpengine did not answer " + message.get("command") + " at " + ng);
    }

    private static int indexOf(byte[] b, int length, byte c) {
        for (int i = 0; i < length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        socket.close();
    }
}
