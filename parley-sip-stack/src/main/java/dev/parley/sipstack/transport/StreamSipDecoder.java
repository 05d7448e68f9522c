package dev.parley.sipstack.transport;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.codec.StreamSipFramer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a TCP or TLS byte stream into SIP messages with a {@link StreamSipFramer} and passes each
 * {@link ParseResult} on: {@link ParseResult.Parsed}, {@link ParseResult.Malformed} (never an exception, so the
 * next handler can answer 400 with the right Via), and {@link #PING} for a CRLFCRLF keep-alive (RFC 5626 §3.5.1).
 * When the framing is lost, {@link #FRAMING_LOST} follows as a user event and every later byte is discarded.
 *
 * <p>Every buffer is released here: the framer copies what it keeps, so nothing reference-counted goes further.
 */
final class StreamSipDecoder extends ChannelInboundHandlerAdapter {

    /** A CRLFCRLF ping; the answer is one CRLF (RFC 5626 §4.4.1). */
    static final ParseResult.KeepAlive PING = new ParseResult.KeepAlive();

    /** User event: the stream can no longer be framed; answer what is pending, then close. */
    static final Object FRAMING_LOST = new Object() {
        @Override
        public String toString() {
            return "FRAMING_LOST";
        }
    };

    private static final int CHUNK = 8192;

    private final StreamSipFramer framer;
    private final List<ParseResult> found = new ArrayList<>(2);
    private final StreamSipFramer.Listener collector = new StreamSipFramer.Listener() {
        @Override
        public void onMessage(ParseResult result) {
            found.add(result);
        }

        @Override
        public void onKeepAlivePing() {
            found.add(PING);
        }
    };
    private byte[] chunk;
    private boolean lostSignalled;

    StreamSipDecoder(SipParser parser) {
        this.framer = new StreamSipFramer(parser);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!framer.failed()) {
                feed(buf);
            }
        } finally {
            ReferenceCountUtil.release(buf);
        }
        // hand results on only after the framer is done with this read: a handler that closes the channel or
        // throws cannot leave the framer half-way through its buffer
        for (int i = 0; i < found.size(); i++) {
            ctx.fireChannelRead(found.get(i));
        }
        found.clear();
        if (framer.failed() && !lostSignalled) {
            lostSignalled = true;
            ctx.fireUserEventTriggered(FRAMING_LOST);
        }
    }

    private void feed(ByteBuf buf) {
        if (buf.hasArray()) {
            framer.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes(), collector);
            return;
        }
        if (chunk == null) {
            chunk = new byte[CHUNK];
        }
        int at = buf.readerIndex();
        int left = buf.readableBytes();
        while (left > 0 && !framer.failed()) {
            int n = Math.min(left, chunk.length);
            buf.getBytes(at, chunk, 0, n);
            framer.feed(chunk, 0, n, collector);
            at += n;
            left -= n;
        }
    }

    /** Bytes held for an incomplete message (for tests and diagnostics). */
    int buffered() {
        return framer.buffered();
    }
}
