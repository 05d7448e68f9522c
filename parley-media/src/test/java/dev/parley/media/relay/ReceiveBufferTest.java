package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared receive buffer used as Netty's epoll read loop uses it (ReceivePathIT: the same over real sockets). */
class ReceiveBufferTest {
    private final Workspace workspace = new Workspace();

    /** What EpollDatagramChannel.recvmsg does with a buffer: read into it, slice the datagram out, release it. */
    private static ByteBuf read(RecvByteBufAllocator.Handle handle, byte[] datagram) {
        ByteBuf buffer = handle.allocate(null);
        int length = Math.min(datagram.length, buffer.writableBytes()); // the kernel truncates to the buffer
        buffer.writeBytes(datagram, 0, length);
        ByteBuf slice = buffer.retainedSlice(buffer.readerIndex(), length);
        buffer.release();
        return slice;
    }

    @Test
    void everyDatagramIsCopiedOutWholeAndTheBufferIsNeverFreed() {
        RecvByteBufAllocator.Handle handle = new ReceiveBuffer(16).newHandle();
        Random random = new Random(3550);
        int references = -1;
        for (int i = 0; i < 2000; i++) {
            byte[] datagram = new byte[random.nextInt(ReceiveBuffer.CAPACITY + 1)];
            random.nextBytes(datagram);
            ByteBuf content = read(handle, datagram);
            try {
                assertThat(content.readableBytes()).isEqualTo(datagram.length);
                workspace.copyIn(content, datagram.length);
                assertThat(Arrays.copyOf(workspace.array, datagram.length)).as("datagram %d", i).isEqualTo(datagram);
                if (references < 0) {
                    references = content.refCnt();
                }
                assertThat(content.refCnt()).as("references while datagram %d is handled", i).isEqualTo(references)
                        .isPositive();
            } finally {
                content.release();
            }
        }
    }

    @Test
    void aDatagramLongerThanTheRelayTakesFillsTheBufferAndSoIsSeenAsTooLong() {
        ByteBuf content = read(new ReceiveBuffer(16).newHandle(), new byte[9000]);
        try {
            assertThat(content.readableBytes()).isEqualTo(Workspace.MAX_DATAGRAM + 1);
        } finally {
            content.release();
        }
    }

    @Test
    void isInstalledOnlyOnNativeSocketsWhoseReadLoopHandsEachDatagramOverAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        RecvByteBufAllocator before = channel.config().getRecvByteBufAllocator();
        assertThat(ReceiveBuffer.install(channel)).isFalse();
        assertThat((Object) channel.config().getRecvByteBufAllocator()).isSameAs(before);
        channel.finishAndReleaseAll();
    }
}
