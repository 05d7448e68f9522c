package dev.parley.media.relay;

import dev.parley.rtp.PacketBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A media socket that is a Netty datagram channel: Java NIO's, and the shared WebRTC port's (whose datagrams go
 * through {@link SharedWebRtcPort}'s handler). Sends with {@link DirectSend} where the channel is a native one on
 * its own loop, else through the pipeline.
 */
public final class ChannelSocket implements MediaSocket {
    private final Channel channel;

    public ChannelSocket(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public boolean send(PacketBuffer p, SendAddress to) {
        DirectSend.Result direct = Workspace.current().directSend.send(channel, p, to);
        if (direct == DirectSend.Result.USE_PIPELINE) {
            ByteBuf buffer = channel.alloc().directBuffer(p.length());
            buffer.writeBytes(p.array(), p.offset(), p.length());
            channel.writeAndFlush(new DatagramPacket(buffer, to.address()), channel.voidPromise());
            return true;
        }
        return direct == DirectSend.Result.SENT;
    }

    @Override
    public void send(byte[] array, int offset, int length, InetSocketAddress to) {
        ByteBuf buffer = channel.alloc().directBuffer(length);
        buffer.writeBytes(array, offset, length);
        channel.writeAndFlush(new DatagramPacket(buffer, to), channel.voidPromise());
    }

    @Override
    public void moveTo(MediaLoop target, Consumer<Boolean> moved) {
        channel.deregister().addListener(d -> target.eventLoop().register(channel).addListener(r ->
                moved.accept(d.isSuccess() && r.isSuccess())));
    }

    @Override
    public void close(Runnable closed) {
        channel.close().addListener(x -> closed.run());
    }
}
