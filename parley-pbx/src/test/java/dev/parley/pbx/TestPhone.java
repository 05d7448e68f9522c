package dev.parley.pbx;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.sip.auth.Digest;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.SipSerializer;
import dev.parley.sip.codec.StreamSipFramer;
import dev.parley.sip.header.Address;
import dev.parley.sip.header.CSeq;
import dev.parley.sip.header.Challenge;
import dev.parley.sip.header.Credentials;
import dev.parley.sip.header.HeaderType;
import dev.parley.sip.header.MediaType;
import dev.parley.sip.header.Via;
import dev.parley.sip.message.Body;
import dev.parley.sip.message.SipMessage;
import dev.parley.sip.message.SipMethod;
import dev.parley.sip.message.SipRequest;
import dev.parley.sip.message.SipResponse;
import dev.parley.sip.uri.SipUri;
import dev.parley.sip.uri.Uri;
import dev.parley.sipstack.flow.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A scripted SIP phone on a real socket (UDP or TCP) for the PBX's integration tests. It does what a phone's
 * transaction layer would do by itself — absorb retransmissions (answering them with the last response), ACK non-2xx
 * final responses to its INVITEs, answer CANCEL with 200 and the INVITE with 487, BYE and OPTIONS with 200 — and
 * records everything; the test scripts the rest (register, call, ring, answer, ACK, BYE).
 */
final class TestPhone implements AutoCloseable {
    static final String REALM = "pbx.example";
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final String username;
    private final String password;
    final String aor;
    private final Transport transport;
    private final InetSocketAddress pbx;
    private final DatagramSocket udp;
    private final Socket tcp;
    private final OutputStream tcpOut;
    private final Thread reader;
    /** Every message that arrived, retransmissions included. */
    final List<SipMessage> received = new CopyOnWriteArrayList<>();
    private final List<SipRequest> requests = new CopyOnWriteArrayList<>();
    private final List<SipResponse> responses = new CopyOnWriteArrayList<>();
    private final Set<Object> claimed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Set<String> seenRequests = ConcurrentHashMap.newKeySet();
    private final Set<String> seenResponses = ConcurrentHashMap.newKeySet();
    private final Map<String, SipResponse> answers = new ConcurrentHashMap<>();
    private final Map<String, SipRequest> sentInvites = new ConcurrentHashMap<>();
    private final Map<String, Incoming> incoming = new ConcurrentHashMap<>();
    private final AtomicLong nc = new AtomicLong();

    private TestPhone(String username, String password, String aor, Transport transport, InetSocketAddress pbx)
            throws IOException {
        this.username = username;
        this.password = password;
        this.aor = aor;
        this.transport = transport;
        this.pbx = pbx;
        if (transport == Transport.UDP) {
            udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            tcp = null;
            tcpOut = null;
            reader = Thread.ofPlatform().daemon().name("phone-" + username).start(this::readUdp);
        } else {
            udp = null;
            tcp = new Socket(pbx.getAddress(), pbx.getPort());
            tcpOut = tcp.getOutputStream();
            reader = Thread.ofPlatform().daemon().name("phone-" + username).start(this::readTcp);
        }
    }

    static TestPhone udp(String username, String password, String aor, int pbxPort) throws IOException {
        return new TestPhone(username, password, aor, Transport.UDP, new InetSocketAddress(LOOPBACK, pbxPort));
    }

    static TestPhone tcp(String username, String password, String aor, int pbxPort) throws IOException {
        return new TestPhone(username, password, aor, Transport.TCP, new InetSocketAddress(LOOPBACK, pbxPort));
    }

    int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    SipUri contactUri() {
        SipUri.Builder b = SipUri.builder().user(username).host("127.0.0.1").port(localPort());
        if (transport == Transport.TCP) {
            b.parameter("transport", "tcp");
        }
        return b.build();
    }

    Uri pbxUri(String user) {
        SipUri.Builder b = SipUri.builder().host("127.0.0.1").port(pbx.getPort());
        if (user != null) {
            b.user(user);
        }
        return b.build();
    }

    Via newVia() {
        return Via.of(transport.viaToken(), "127.0.0.1", localPort(), "z9hG4bK" + random()).withParameter("rport",
                null);
    }

    static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    // ---- sending ----

    synchronized void send(SipMessage m) {
        byte[] bytes = SipSerializer.serialize(m);
        try {
            if (udp != null) {
                udp.send(new DatagramPacket(bytes, bytes.length, pbx));
            } else {
                tcpOut.write(bytes);
                tcpOut.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("phone " + username + " could not send", e);
        }
        if (m instanceof SipRequest r && r.isMethod(SipMethod.INVITE)) {
            sentInvites.put(r.topVia().branch(), r);
        }
    }

    void sendRaw(String text) {
        try {
            byte[] b = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(UTF_8);
            if (udp != null) {
                udp.send(new DatagramPacket(b, b.length, pbx));
            } else {
                tcpOut.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    SipResponse respond(SipRequest request, int status, String toTag, String sdp) {
        SipResponse.Builder b = SipResponse.to(request, status);
        if (request.to().tag() == null && toTag != null) {
            b.to(request.to().withTag(toTag));
        }
        if (status < 300 && status > 100 && request.isMethod(SipMethod.INVITE)) {
            b.contact(Address.of(contactUri()));
        }
        if (sdp != null) {
            b.body(MediaType.APPLICATION_SDP, Body.of(sdp));
        }
        SipResponse r = b.build();
        answers.put(key(request), r);
        send(r);
        return r;
    }

    // ---- receiving ----

    private void readUdp() {
        byte[] buf = new byte[65536];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                return;
            }
            if (SipParser.standard().parseDatagram(buf, 0, p.getLength()) instanceof ParseResult.Parsed parsed) {
                dispatch(parsed.message());
            }
        }
    }

    private void readTcp() {
        StreamSipFramer framer = new StreamSipFramer(SipParser.standard());
        byte[] buf = new byte[65536];
        try {
            InputStream in = tcp.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                framer.feed(buf, 0, n, new StreamSipFramer.Listener() {
                    @Override
                    public void onMessage(ParseResult result) {
                        if (result instanceof ParseResult.Parsed parsed) {
                            dispatch(parsed.message());
                        }
                    }

                    @Override
                    public void onKeepAlivePing() {
                    }
                });
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void dispatch(SipMessage m) {
        received.add(m);
        try {
            if (m instanceof SipRequest r) {
                onRequest(r);
            } else {
                onResponse((SipResponse) m);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private static String key(SipRequest r) {
        return r.topVia().branch() + ' ' + r.method();
    }

    private void onRequest(SipRequest r) {
        String key = key(r);
        if (!seenRequests.add(key)) {
            SipResponse last = answers.get(key); // a retransmission: answer it as before
            if (last != null) {
                send(last);
            }
            return;
        }
        switch (r.method()) {
            case SipMethod.INVITE -> {
                if (r.to().tag() == null) {
                    incoming.put(r.topVia().branch(), new Incoming(r, random()));
                }
            }
            case SipMethod.CANCEL -> {
                Incoming call = incoming.get(r.topVia().branch());
                respond(r, 200, call == null ? random() : call.tag, null);
                if (call != null && !call.finalSent) {
                    call.reject(487);
                }
            }
            case SipMethod.BYE, SipMethod.OPTIONS, SipMethod.UPDATE, SipMethod.INFO -> respond(r, 200, random(), null);
            default -> {
            }
        }
        requests.add(r);
    }

    private void onResponse(SipResponse r) {
        SipRequest invite = sentInvites.get(r.topVia().branch());
        if (invite != null && r.status() >= 300) {
            // RFC 3261 §17.1.1.3: the client transaction ACKs every non-2xx final response, retransmissions too
            send(SipRequest.builder(SipMethod.ACK, invite.requestUri()).via(invite.topVia()).maxForwards(70)
                    .from(invite.from()).to(r.to()).callId(invite.callId())
                    .cseq(new CSeq(invite.cseq().sequence(), SipMethod.ACK)).build());
        }
        String key = r.topVia().branch() + ' ' + r.cseq() + ' ' + r.status() + ' ' + r.to().tag();
        if (seenResponses.add(key)) {
            responses.add(r);
        }
    }

    /** The next unclaimed response matching {@code p}, waiting up to 5 s. */
    SipResponse awaitResponse(Predicate<SipResponse> p) {
        return await(responses, p, "response");
    }

    /** The next unclaimed request matching {@code p}, waiting up to 5 s. */
    SipRequest awaitRequest(Predicate<SipRequest> p) {
        return await(requests, p, "request");
    }

    SipRequest awaitRequest(String method) {
        return awaitRequest(r -> r.isMethod(method));
    }

    /** True when a request matching {@code p} arrives within {@code d}, without claiming it. */
    boolean sees(Predicate<SipRequest> p, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            for (SipRequest r : requests) {
                if (p.test(r)) {
                    return true;
                }
            }
            sleep(10);
        }
        return false;
    }

    List<SipRequest> requests() {
        return List.copyOf(requests);
    }

    private <M> M await(List<M> list, Predicate<M> p, String what) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - end < 0) {
            for (M m : list) {
                if (!claimed.contains(m) && p.test(m)) {
                    claimed.add(m);
                    return m;
                }
            }
            sleep(10);
        }
        throw new AssertionError(username + ": no " + what + " as expected within " + WAIT + "; got requests "
                + requests + " and responses " + responses);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- registration ----

    /** REGISTER for {@link #aor}, answering the 401 with Digest credentials; the final response. */
    SipResponse register() {
        return register(password);
    }

    SipResponse register(String secret) {
        String callId = random();
        String tag = random();
        SipRequest first = registerRequest(callId, tag, 1);
        send(first);
        SipResponse challenge = awaitResponse(r -> r.callId().equals(callId) && r.status() >= 200);
        if (challenge.status() != 401) {
            return challenge;
        }
        SipRequest second = withCredentials(registerRequest(callId, tag, 2), challenge, secret);
        send(second);
        return awaitResponse(r -> r.callId().equals(callId) && r.cseq().sequence() == 2 && r.status() >= 200);
    }

    private SipRequest registerRequest(String callId, String tag, long cseq) {
        SipUri aorUri = SipUri.builder().user(aor).host(REALM).build();
        return SipRequest.builder(SipMethod.REGISTER, SipUri.builder().host(REALM).build()).via(newVia())
                .maxForwards(70).from(Address.of(aorUri).withTag(tag)).to(Address.of(aorUri)).callId(callId)
                .cseq(new CSeq(cseq, SipMethod.REGISTER)).contact(Address.of(contactUri()))
                .add(HeaderType.EXPIRES, 300L).build();
    }

    /** {@code request} with credentials answering {@code challenge} (its first, preferred, algorithm). */
    SipRequest withCredentials(SipRequest request, SipResponse challenge, String secret) {
        boolean proxy = challenge.status() == 407;
        Challenge c = proxy ? challenge.proxyAuthenticates().getFirst() : challenge.wwwAuthenticates().getFirst();
        DigestAlgorithm alg = DigestAlgorithm.fromTokenOrDefault(c.algorithm()).orElseThrow();
        String uri = request.requestUri().toString();
        String cnonce = random();
        String count = String.format("%08x", nc.incrementAndGet());
        String ha1 = Digest.ha1(alg, username, c.realm(), secret);
        String ha2 = Digest.ha2(alg, request.method(), uri);
        String response = Digest.response(alg, ha1, c.nonce(), count, cnonce, "auth", ha2);
        Credentials creds = Credentials.digest(username, c.realm(), c.nonce(), uri, response, alg.token(), cnonce,
                "auth", count, null);
        return request.toBuilder().add(proxy ? HeaderType.PROXY_AUTHORIZATION : HeaderType.AUTHORIZATION, creds)
                .build();
    }

    // ---- calling out ----

    /** INVITE {@code number} with {@code sdp} (null for a delayed offer), answering the 407 with credentials. */
    Outgoing call(String number, String sdp) {
        return call(number, sdp, password);
    }

    Outgoing call(String number, String sdp, String secret) {
        Outgoing call = new Outgoing(number, random(), random());
        SipRequest first = call.newInvite(sdp, null);
        send(first);
        SipResponse challenge = awaitResponse(r -> r.callId().equals(call.callId) && r.status() >= 200);
        if (challenge.status() != 407) {
            call.last = challenge;
            return call;
        }
        call.challenge = challenge;
        SipRequest second = withCredentials(call.newInvite(sdp, null), challenge, secret);
        call.invite = second;
        send(second);
        return call;
    }

    /** A call this phone placed. */
    final class Outgoing {
        final String number;
        final String callId;
        final String fromTag;
        long cseq;
        SipRequest invite;
        SipResponse challenge;
        SipResponse last;
        SipResponse ok;

        Outgoing(String number, String callId, String fromTag) {
            this.number = number;
            this.callId = callId;
            this.fromTag = fromTag;
        }

        SipRequest newInvite(String sdp, Integer maxForwards) {
            cseq++;
            SipUri target = (SipUri) pbxUri(number);
            SipRequest.Builder b = SipRequest.builder(SipMethod.INVITE, target).via(newVia())
                    .maxForwards(maxForwards == null ? 70 : maxForwards)
                    .from(Address.of("Phone " + username, SipUri.builder().user(username).host(REALM).build())
                            .withTag(fromTag))
                    .to(Address.of(SipUri.builder().user(number).host(REALM).build())).callId(callId)
                    .cseq(new CSeq(cseq, SipMethod.INVITE)).contact(Address.of(contactUri()));
            if (sdp != null) {
                b.body(MediaType.APPLICATION_SDP, Body.of(sdp));
            }
            invite = b.build();
            return invite;
        }

        /** The next final response to the current INVITE. */
        SipResponse awaitFinal() {
            long n = invite.cseq().sequence();
            last = awaitResponse(r -> r.callId().equals(callId) && r.cseq().sequence() == n
                    && r.method().equals(SipMethod.INVITE) && r.status() >= 200);
            if (last.isSuccess() && ok == null) {
                ok = last;
            }
            return last;
        }

        SipResponse awaitProvisional(int status) {
            long n = invite.cseq().sequence();
            return awaitResponse(r -> r.callId().equals(callId) && r.cseq().sequence() == n && r.status() == status);
        }

        /** RFC 3261 §13.2.2.4: the ACK for the 2xx, to its Contact. */
        void ack(String sdp) {
            SipRequest.Builder b = SipRequest.builder(SipMethod.ACK, ok.contacts().getFirst().uri()).via(newVia())
                    .maxForwards(70).from(invite.from()).to(ok.to()).callId(callId)
                    .cseq(new CSeq(invite.cseq().sequence(), SipMethod.ACK));
            if (sdp != null) {
                b.body(MediaType.APPLICATION_SDP, Body.of(sdp));
            }
            send(b.build());
        }

        void ack() {
            ack(null);
        }

        SipRequest inDialog(String method, String sdp) {
            cseq++;
            SipRequest.Builder b = SipRequest.builder(method, ok.contacts().getFirst().uri()).via(newVia())
                    .maxForwards(70).from(invite.from()).to(ok.to()).callId(callId)
                    .cseq(new CSeq(cseq, method)).contact(Address.of(contactUri()));
            if (sdp != null) {
                b.body(MediaType.APPLICATION_SDP, Body.of(sdp));
            }
            SipRequest r = b.build();
            if (method.equals(SipMethod.INVITE)) {
                invite = r.toBuilder().from(invite.from()).build();
            }
            send(r);
            return r;
        }

        SipResponse bye() {
            SipRequest bye = inDialog(SipMethod.BYE, null);
            return awaitResponse(r -> r.callId().equals(callId) && r.cseq().sequence() == bye.cseq().sequence()
                    && r.status() >= 200);
        }

        /** RFC 3261 §9.1: CANCEL with the INVITE's branch. */
        void cancel() {
            send(SipRequest.builder(SipMethod.CANCEL, invite.requestUri()).via(invite.topVia()).maxForwards(70)
                    .from(invite.from()).to(invite.to()).callId(callId)
                    .cseq(new CSeq(invite.cseq().sequence(), SipMethod.CANCEL)).build());
        }
    }

    // ---- being called ----

    /** Waits for a new INVITE. */
    Incoming awaitInvite() {
        SipRequest invite = awaitRequest(r -> r.isMethod(SipMethod.INVITE) && r.to().tag() == null);
        return incoming.get(invite.topVia().branch());
    }

    /** A call to this phone. */
    final class Incoming {
        final SipRequest invite;
        final String tag;
        volatile boolean finalSent;
        long cseq = 100;

        Incoming(SipRequest invite, String tag) {
            this.invite = invite;
            this.tag = tag;
        }

        void ring() {
            respond(invite, 180, tag, null);
        }

        void answer(String sdp) {
            finalSent = true;
            respond(invite, 200, tag, sdp);
        }

        void reject(int status) {
            finalSent = true;
            respond(invite, status, tag, null);
        }

        SipRequest awaitAck() {
            return awaitRequest(r -> r.isMethod(SipMethod.ACK) && r.callId().equals(invite.callId())
                    && r.cseq().sequence() == invite.cseq().sequence());
        }

        SipRequest awaitCancel() {
            return awaitRequest(r -> r.isMethod(SipMethod.CANCEL) && r.callId().equals(invite.callId()));
        }

        SipRequest awaitBye() {
            return awaitRequest(r -> r.isMethod(SipMethod.BYE) && r.callId().equals(invite.callId()));
        }

        SipResponse bye() {
            long n = ++cseq;
            SipRequest bye = SipRequest.builder(SipMethod.BYE, invite.contacts().getFirst().uri()).via(newVia())
                    .maxForwards(70).from(invite.to().withTag(tag)).to(invite.from()).callId(invite.callId())
                    .cseq(new CSeq(n, SipMethod.BYE)).build();
            send(bye);
            return awaitResponse(r -> r.callId().equals(invite.callId()) && r.cseq().sequence() == n
                    && r.method().equals(SipMethod.BYE) && r.status() >= 200);
        }
    }

    List<SipResponse> responsesFor(String callId) {
        List<SipResponse> out = new ArrayList<>();
        for (SipMessage m : received) {
            if (m instanceof SipResponse r && r.callId().equals(callId)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (udp != null) {
                udp.close();
            } else {
                tcp.close();
            }
            reader.join(1000);
        } catch (IOException | InterruptedException e) {
            // closing
        }
    }
}
