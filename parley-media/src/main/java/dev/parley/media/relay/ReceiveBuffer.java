package dev.parley.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Where a media socket's datagrams are read into: one direct buffer per event-loop thread, the same for every
 * datagram of every socket on that loop, instead of a pooled buffer per datagram. The relay copies each datagram
 * into the thread's {@link Workspace} at once and lets go of it before the loop reads the next one, so one buffer
 * is enough; what a buffer per datagram cost (a flight recording of the relay at 1000 SRTP calls: the pool's
 * allocation and pinned-memory counter, the leak detector sampling 1 in 128 buffers with a stack trace, the
 * release) was about 8 % of the relay's Java time.
 *
 * <p>Only for native (epoll) sockets, whose read loop hands each datagram to the pipeline as soon as it is read
 * ({@code EpollDatagramChannel.recvmsg} → {@code fireChannelRead}); Java NIO's reads a batch of datagrams first and
 * passes them on after, which one shared buffer cannot serve, so NIO channels keep their allocator. A handler that
 * kept the datagram's content past {@code channelRead} would see it overwritten: {@link EarlyPackets} copies, and
 * nothing else keeps it.
 *
 * <p>{@link #CAPACITY} is one octet more than the largest datagram the relay processes: the kernel truncates a longer
 * datagram to the buffer, and the relay, seeing more than {@link Workspace#MAX_DATAGRAM}, drops it instead of
 * relaying a truncated packet (Netty's default, a 2048-octet buffer, cut longer datagrams silently to 2048).
 */
final class ReceiveBuffer extends DefaultMaxMessagesRecvByteBufAllocator {
    static final int CAPACITY = Workspace.MAX_DATAGRAM + 1;

    private static final FastThreadLocal<Shared> BUFFER = new FastThreadLocal<>() {
        @Override
        protected Shared initialValue() {
            return new Shared();
        }

        @Override
        protected void onRemoval(Shared shared) {
            shared.free(); // the thread ends (Netty's threads remove their FastThreadLocals)
        }
    };

    ReceiveBuffer(int maxMessagesPerRead) {
        super(maxMessagesPerRead);
    }

    /**
     * Makes {@code channel} read into its loop's shared buffer when it is a native socket, keeping how many
     * datagrams it reads per wake-up; call before its first read (on registration). Returns whether it did.
     */
    static boolean install(Channel channel) {
        if (!(channel instanceof UnixChannel)) {
            return false;
        }
        RecvByteBufAllocator current = channel.config().getRecvByteBufAllocator();
        if (current instanceof ReceiveBuffer) {
            return true;
        }
        int perRead = current instanceof MaxMessagesRecvByteBufAllocator m ? m.maxMessagesPerRead() : 16;
        channel.config().setRecvByteBufAllocator(new ReceiveBuffer(perRead));
        return true;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public ByteBuf allocate(ByteBufAllocator ignored) {
                return BUFFER.get().clear();
            }

            @Override
            public int guess() {
                return CAPACITY;
            }
        };
    }

    /**
     * The loop's buffer. Netty's read loop takes a retained slice of the datagram out of the buffer it read into
     * and releases that buffer; the handler releases the slice. Here the slice is the buffer itself, its indices
     * set on the datagram, and reference counting does nothing: no object and no atomic update per datagram, and a
     * release too many cannot free memory the kernel will write the next datagram into. Not sampled by the leak
     * detector (constructed directly); freed by {@link #free} when its thread ends.
     */
    private static final class Shared extends UnpooledDirectByteBuf {
        Shared() {
            super(UnpooledByteBufAllocator.DEFAULT, CAPACITY, CAPACITY);
        }

        @Override
        public ByteBuf retainedSlice(int index, int length) {
            return setIndex(index, index + length);
        }

        @Override
        public ByteBuf retain() {
            return this;
        }

        @Override
        public ByteBuf retain(int increment) {
            return this;
        }

        @Override
        public boolean release() {
            return false;
        }

        @Override
        public boolean release(int decrement) {
            return false;
        }

        void free() {
            super.release();
        }
    }
}
