package dev.parley.web.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * Keeps a kept-alive connection usable after an answer that did not read the request's body: a refusal before the
 * body (401, 403, 413, 415, 429), a 404, a handler that had no use for it.
 *
 * <p>Jetty cannot reuse a connection while part of a request body is still on it, so when a handler completes
 * without reading it, Jetty closes the connection after the answer. The answer itself says nothing of that, and a
 * client that already sent its next request on the connection (HTTP/1.1 keeps connections alive, RFC 9112 §9.3)
 * sees it fail without an answer: java.net.http with "header parser received no bytes", others with a broken pipe.
 * So, once the handler is done and before the answer leaves:
 *
 * <table>
 *   <caption>What happens to a body the handler left unread</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>no body, or read to the end</td><td>as it is; the connection stays</td></tr>
 *   <tr><td>{@code Content-Length} ≤ {@value #DRAIN_LIMIT} bytes</td><td>the rest is read and discarded; the
 *       connection stays</td></tr>
 *   <tr><td>a longer {@code Content-Length}, a chunked body, or {@code Expect: 100-continue}</td><td>
 *       {@code Connection: close} (RFC 9112 §9.6), so the client knows not to send more on it: reading a large body
 *       only to refuse it would be work an attacker chooses, and answering 100-continue would invite the body we
 *       refuse (RFC 9110 §10.1.1); {@link LingeringClose} then half-closes and drops the rest of the body for a
 *       bounded time, so a client still uploading reads the answer rather than a reset</td></tr>
 * </table>
 * A body that cannot be read (the client stopped sending) also gets {@code Connection: close}. Never logs content.
 */
public final class UnreadBody {
    /** The largest body read only to be thrown away: the API's own limit for a JSON document. */
    public static final int DRAIN_LIMIT = 64 * 1024;

    private UnreadBody() {
    }

    /** Javalin's {@code after} handler: discard a small unread body, else tell the client the connection closes. */
    public static void settle(Context ctx) {
        var req = ctx.req();
        long declared = req.getContentLengthLong();
        String encoding = req.getHeader("Transfer-Encoding");
        if (declared <= 0 && encoding == null) {
            return; // no body: nothing left on the connection
        }
        ServletInputStream in;
        try {
            in = req.getInputStream();
        } catch (IllegalStateException e) {
            return; // the handler read the body through getReader(): nothing is left
        } catch (IOException e) {
            close(ctx);
            return;
        }
        if (in.isFinished()) {
            return;
        }
        String expect = req.getHeader("Expect");
        if (encoding != null || declared > DRAIN_LIMIT
                || (expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue"))) {
            close(ctx);
            return;
        }
        try {
            byte[] sink = new byte[8192];
            long left = DRAIN_LIMIT + 1L;
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) != -1) {
                left -= n;
            }
            if (left <= 0) {
                close(ctx); // more than declared: Jetty refuses that itself, but do not count on it
            }
        } catch (IOException | RuntimeException e) {
            close(ctx);
        }
    }

    private static void close(Context ctx) {
        if (!ctx.res().isCommitted()) {
            ctx.res().setHeader("Connection", "close");
        }
    }
}
