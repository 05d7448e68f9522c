package dev.parley.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkspaceTest {
    private final Workspace workspace = new Workspace();

    @Test
    void copiesADatagramOutOfAPooledDirectSliceOctetForOctetWhateverItsLength() {
        Random random = new Random(7983);
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        try {
            for (int length : new int[] {0, 1, 7, 8, 9, 12, 15, 172, 182, 1500}) {
                byte[] datagram = new byte[length];
                random.nextBytes(datagram);
                chunk.clear().writeZero(5).writeBytes(datagram); // not at index 0 of its buffer, as a read one
                ByteBuf slice = chunk.retainedSlice(5, length);
                try {
                    Arrays.fill(workspace.array, (byte) 0x55);
                    workspace.copyIn(slice, length);
                    assertThat(Arrays.copyOf(workspace.array, length)).as("length %d", length).isEqualTo(datagram);
                    assertThat(workspace.array[length]).as("nothing past the datagram").isEqualTo((byte) 0x55);
                } finally {
                    slice.release();
                }
            }
        } finally {
            chunk.release();
        }
    }

    @Test
    void copiesFromAHeapBufferAtItsReaderIndex() {
        ByteBuf heap = Unpooled.wrappedBuffer(new byte[] {9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        heap.skipBytes(2);
        workspace.copyIn(heap, heap.readableBytes());
        assertThat(Arrays.copyOf(workspace.array, 11)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }
}
