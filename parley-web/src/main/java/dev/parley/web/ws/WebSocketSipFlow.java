package dev.parley.web.ws;

import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.FlowIds;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection from a SIP client (a browser phone) as a {@link Flow}: every SIP message Parley sends to
 * it, responses and requests alike, is one WebSocket message on this connection (RFC 7118 §5).
 *
 * <p>A message goes out as a text frame when it is valid UTF-8 (what browsers' SIP libraries read), else as a
 * binary frame (RFC 7118 §5.1 allows both). Sends are queued by Jetty; when more than {@value #MAX_PENDING_BYTES}
 * bytes wait because the client stopped reading, the connection is closed rather than letting one slow peer take
 * the heap, as a TCP flow does.
 */
public final class WebSocketSipFlow implements Flow {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSipFlow.class);
    static final long MAX_PENDING_BYTES = 1 << 20;

    private final Session session;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String id = FlowIds.next(Transport.WSS);
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean authenticated;
    private volatile long lastMessageNanos = System.nanoTime();

    WebSocketSipFlow(Session session, InetSocketAddress local, InetSocketAddress remote) {
        this.session = session;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public Transport transport() {
        return Transport.WSS;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void markAuthenticated() {
        authenticated = true;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    void messageArrived() {
        lastMessageNanos = System.nanoTime();
    }

    long lastMessageNanos() {
        return lastMessageNanos;
    }

    @Override
    public void send(byte[] message) {
        if (!session.isOpen()) {
            LOG.debug("{}: dropping {} bytes for {}: the connection is closed", id, message.length, remote);
            return;
        }
        if (pending.addAndGet(message.length) > MAX_PENDING_BYTES) {
            LOG.debug("{}: closing the connection to {}: the client does not read", id, remote);
            session.close(StatusCode.POLICY_VIOLATION, "not reading", Callback.NOOP);
            return;
        }
        Callback done = Callback.from(() -> pending.addAndGet(-message.length), failure -> {
            pending.addAndGet(-message.length);
            LOG.debug("{}: send to {} failed: {}", id, remote, failure.toString());
        });
        String text = utf8(message);
        if (text != null) {
            session.sendText(text, done);
        } else {
            session.sendBinary(ByteBuffer.wrap(message), done);
        }
    }

    /** The message as text when it is valid UTF-8, else null. */
    private static String utf8(byte[] message) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    void close(int status, String reason) {
        session.close(status, reason, Callback.NOOP);
    }

    @Override
    public String toString() {
        return id + "<-" + remote;
    }
}
