package dev.parley.web.http;

import dev.parley.common.IpPrefix;
import dev.parley.common.SourceSlots;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lingering close (RFC 9112 §9.6) for an answer that closes the connection while the request's body is still
 * coming: a refusal before the body ({@code UnreadBody} says {@code Connection: close} for a body over its drain
 * limit, a chunked one, or {@code Expect: 100-continue}) or the redirect port's 308.
 *
 * <p>Closing a socket with received bytes unread makes the kernel send RST, and a client still uploading then meets
 * "connection reset" or a broken pipe, often before it read the answer: its own receive buffer, which held the
 * answer, is thrown away with the reset, and JSSE makes a failed write fatal to the socket's reads too. So, once the
 * answer is written, this handler half-closes (TLS {@code close_notify}, or FIN on plain HTTP), so the client reads
 * the answer and then the end, and keeps reading and discarding the body until it ends, then lets Jetty close —
 * within bounds, because reading a body only to drop it is work the client chooses:
 *
 * <table>
 *   <caption>Limits of one lingering close</caption>
 *   <tr><th>limit</th><th>value</th><th>why</th></tr>
 *   <tr><td>time</td><td>{@link #WINDOW} from the end of the answer</td><td>long enough for a client on a slow
 *       link to finish an upload of a few MiB and read the answer; a client that trickles its body cannot hold the
 *       connection longer (the connection's idle timeout is cut to the same window)</td></tr>
 *   <tr><td>bytes</td><td>{@link #MAX_DISCARDED} discarded</td><td>past it the connection is closed at once: the
 *       client reads the answer only if it read while writing, as browsers do</td></tr>
 *   <tr><td>connections lingering at once</td><td>{@value #MAX_LINGERING} in all, {@value #MAX_PER_SOURCE} per
 *       source address (IPv6 per /64)</td><td>the web port has no other per-source connection limit; past these,
 *       the connection closes at once, as without this handler</td></tr>
 * </table>
 * Requests without a body, and answers that keep the connection, pass through untouched.
 */
public final class LingeringClose extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(LingeringClose.class);
    /** How long after the answer the rest of the body is read and dropped. */
    public static final Duration WINDOW = Duration.ofSeconds(2);
    /** How many bytes of body are read and dropped at most. */
    public static final long MAX_DISCARDED = 4L * 1024 * 1024;
    static final int MAX_LINGERING = 128;
    static final int MAX_PER_SOURCE = 8;

    private final SourceSlots slots = new SourceSlots(MAX_PER_SOURCE, MAX_LINGERING);

    /** For {@code insertHandler}: the next handler is set when inserted. */
    public LingeringClose() {
        this(null);
    }

    public LingeringClose(Handler handler) {
        super(handler);
    }

    /** Connections lingering now (tests). */
    public int lingering() {
        return slots.total();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        if (!hasBody(request) || request.getConnectionMetaData().getHttpVersion().getVersion() > 11) {
            return next.handle(request, response, callback);
        }
        return next.handle(new KeepBody(request, response), response, new Settle(request, response, callback));
    }

    private static boolean closes(Response response) {
        return response.getHeaders().contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }

    /**
     * The request as the handlers below see it. When a handler completes, the servlet layer reads what of the body
     * has arrived ({@code consumeAvailable}) and, finding more to come, marks the body unconsumed: every later read
     * then fails, and the rest could not be read after the answer. An answer that closes the connection skips that
     * here; {@link Settle} reads the rest instead.
     */
    private static final class KeepBody extends Request.Wrapper {
        private final Response response;

        KeepBody(Request request, Response response) {
            super(request);
            this.response = response;
        }

        @Override
        public boolean consumeAvailable() {
            return closes(response) ? false : super.consumeAvailable();
        }
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Wraps the request's callback: when the answer is complete, linger if it closes with the body unread. */
    private final class Settle implements Callback {
        private final Request request;
        private final Response response;
        private final Callback callback;

        Settle(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void succeeded() {
            if (!closes(response)) {
                callback.succeeded(); // the connection stays: Jetty reads or drops what is left of the body
                return;
            }
            if (!response.hasLastWrite()) {
                // a handler that completes without writing leaves the answer to Jetty, which would write it only
                // after this callback: write it here, so the half-close comes after it
                response.write(true, null, Callback.from(this::answered, callback::failed));
                return;
            }
            answered();
        }

        /** The whole answer was written. */
        private void answered() {
            Content.Chunk first = request.read();
            if (first != null && (first.isLast() || Content.Chunk.isFailure(first))) {
                first.release();
                callback.succeeded(); // the body was all read, or can no longer be: nothing to wait for
                return;
            }
            InetAddress source = source(request.getConnectionMetaData().getRemoteSocketAddress());
            if (slots.tryAcquire(source) != SourceSlots.Admission.ADMITTED) {
                if (first != null) {
                    first.release();
                }
                LOG.debug("not lingering for {}: {} connections lingering", source, slots.total());
                callback.succeeded();
                return;
            }
            new Linger(request, callback, source).start(first);
        }

        @Override
        public void failed(Throwable x) {
            callback.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }
    }

    /** One connection's lingering close: half-closed, reading and dropping until the body ends or a bound. */
    private final class Linger {
        private final Request request;
        private final Callback callback;
        private final InetAddress source;
        private final EndPoint endPoint;
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicBoolean slotHeld = new AtomicBoolean(true);
        private Scheduler.Task deadline;
        private long discarded;

        Linger(Request request, Callback callback, InetAddress source) {
            this.request = request;
            this.callback = callback;
            this.source = source;
            this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        }

        void start(Content.Chunk first) {
            // RFC 9112 §9.6: close in stages — the write side first, so the client reads the answer and then the
            // end of the connection, while its upload still lands somewhere; then read until the client is done
            endPoint.shutdownOutput();
            long idle = endPoint.getIdleTimeout();
            if (idle <= 0 || idle > WINDOW.toMillis()) {
                endPoint.setIdleTimeout(WINDOW.toMillis()); // a client silent for the window is done too
            }
            deadline = request.getComponents().getScheduler().schedule(this::expire, WINDOW.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (first != null && drop(first)) {
                return;
            }
            drain();
        }

        /** Reads what is there, asks to be called again when more comes; stops at the body's end or a bound. */
        private void drain() {
            while (!done.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this::drain);
                    return;
                }
                if (drop(chunk)) {
                    return;
                }
            }
        }

        /** Drops one chunk; true when lingering ended with it. */
        private boolean drop(Content.Chunk chunk) {
            discarded += chunk.remaining();
            boolean failed = Content.Chunk.isFailure(chunk);
            boolean last = chunk.isLast();
            chunk.release();
            if (failed) {
                // the client closed, or was silent for the window (the idle timeout): nothing more to wait for
                finish("the body ended early or the client went silent");
                return true;
            }
            if (last) {
                finish(null); // the whole body is read: Jetty closes once the client has closed its side
                return true;
            }
            if (discarded > MAX_DISCARDED) {
                finish("more than " + MAX_DISCARDED + " bytes");
                return true;
            }
            return false;
        }

        /** The window passed with the body still coming: close; the pending read then fails and ends the request. */
        private void expire() {
            if (!done.get()) {
                LOG.debug("lingering close of {}: {} s passed, {} bytes dropped", source, WINDOW.toSeconds(),
                        discarded);
                releaseSlot();
                endPoint.close();
            }
        }

        /** Ends lingering; {@code closeNow} says why the connection is closed at once, null lets Jetty close it. */
        private void finish(String closeNow) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (deadline != null) {
                deadline.cancel();
            }
            releaseSlot();
            if (closeNow != null) {
                LOG.debug("lingering close of {}: {}, {} bytes dropped; closing", source, closeNow, discarded);
                endPoint.close();
            }
            callback.succeeded();
        }

        private void releaseSlot() {
            if (slotHeld.compareAndSet(true, false)) {
                slots.release(source);
            }
        }
    }

    /** The address a source is counted by: the host for IPv4, the /64 for IPv6 ({@link IpPrefix#ofSource}). */
    static InetAddress source(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return InetAddress.getLoopbackAddress();
        }
        return IpPrefix.ofSource(inet.getAddress());
    }
}
