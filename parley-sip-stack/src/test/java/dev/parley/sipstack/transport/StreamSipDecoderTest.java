package dev.parley.sipstack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.sip.codec.ParseResult;
import dev.parley.sip.codec.SipParser;
import dev.parley.sip.message.SipMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link StreamSipDecoder} on an {@link EmbeddedChannel}: any split, no leaked buffer. */
class StreamSipDecoderTest {
    private static final String BODY = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n";
    private static final byte[] STREAM = Sip.bytes(
            Sip.options("SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1", "one")
                    .replace("Content-Length: 0", "Content-Type: application/sdp\r\nContent-Length: " + BODY.length())
                    + BODY
                    + "\r\n\r\n"
                    + Sip.options("SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK2", "two"));

    /** Captures user events after the decoder. */
    private static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    private static EmbeddedChannel channel(Events events) {
        return new EmbeddedChannel(new StreamSipDecoder(SipParser.standard()), events);
    }

    private static ByteBuf buffer(byte[] data, int from, int to, boolean direct) {
        ByteBuf b = direct ? Unpooled.directBuffer(Math.max(1, to - from)) : Unpooled.buffer(Math.max(1, to - from));
        return b.writeBytes(data, from, to - from);
    }

    private static void assertStream(EmbeddedChannel ch) {
        ParseResult first = ch.readInbound();
        ParseResult ping = ch.readInbound();
        ParseResult second = ch.readInbound();
        assertThat(first).isInstanceOf(ParseResult.Parsed.class);
        SipMessage one = ((ParseResult.Parsed) first).message();
        assertThat(one.callId()).isEqualTo("one");
        assertThat(one.body().length()).isEqualTo(BODY.length());
        assertThat(ping).isSameAs(StreamSipDecoder.PING);
        assertThat(((ParseResult.Parsed) second).message().callId()).isEqualTo("two");
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void splitAtEveryByte_heapAndDirect_releasesEveryBuffer() {
        for (boolean direct : new boolean[] {false, true}) {
            for (int cut = 0; cut <= STREAM.length; cut++) {
                EmbeddedChannel ch = channel(new Events());
                ByteBuf a = buffer(STREAM, 0, cut, direct);
                ByteBuf b = buffer(STREAM, cut, STREAM.length, direct);
                ch.writeInbound(a);
                ch.writeInbound(b);
                assertThat(a.refCnt()).isZero();
                assertThat(b.refCnt()).isZero();
                assertStream(ch);
                assertThat(ch.finish()).isFalse();
            }
        }
    }

    @Test
    void oneByteAtATime() {
        EmbeddedChannel ch = channel(new Events());
        List<ByteBuf> written = new ArrayList<>();
        for (int i = 0; i < STREAM.length; i++) {
            ByteBuf b = buffer(STREAM, i, i + 1, i % 2 == 0);
            written.add(b);
            ch.writeInbound(b);
        }
        assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertStream(ch);
    }

    @Test
    void aBodyLargerThanTheCopyChunkFromADirectBuffer() {
        String body = "x".repeat(20_000);
        byte[] msg = Sip.bytes(Sip.options("SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKbig", "big")
                .replace("Content-Length: 0", "Content-Length: " + body.length()) + body);
        EmbeddedChannel ch = channel(new Events());
        ByteBuf b = buffer(msg, 0, msg.length, true);
        ch.writeInbound(b);
        assertThat(b.refCnt()).isZero();
        ParseResult r = ch.readInbound();
        assertThat(((ParseResult.Parsed) r).message().body().length()).isEqualTo(20_000);
    }

    @Test
    void framingLostIsReportedOnceAndLaterBytesAreReleasedUnread() {
        Events events = new Events();
        EmbeddedChannel ch = channel(events);
        ByteBuf bad = Unpooled.copiedBuffer(Sip.bytes(
                Sip.options("SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKnocl", "nocl").replace("Content-Length: 0\r\n", "")));
        ch.writeInbound(bad);
        ByteBuf later = Unpooled.copiedBuffer(Sip.bytes(Sip.options("SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK3", "3")));
        ch.writeInbound(later);

        assertThat(bad.refCnt()).isZero();
        assertThat(later.refCnt()).isZero();
        ParseResult r = ch.readInbound();
        assertThat(r).isInstanceOfSatisfying(ParseResult.Malformed.class, m -> {
            assertThat(m.status()).isEqualTo(400);
            assertThat(m.errorResponse()).isPresent();
        });
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(events.seen).containsExactly(StreamSipDecoder.FRAMING_LOST);
    }

    @Test
    void somethingElseThanBytesPassesThrough() {
        EmbeddedChannel ch = channel(new Events());
        ch.writeInbound("not a buffer");
        assertThat(ch.<Object>readInbound()).isEqualTo("not a buffer");
    }
}
