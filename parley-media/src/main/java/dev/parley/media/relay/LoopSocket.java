package dev.parley.media.relay;

import io.netty.channel.IoEventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A media socket the media plane registers on an event loop itself, without a Netty channel: {@link NativeUdpSocket}
 * (epoll) or {@link UringUdpSocket} (io_uring).
 */
public interface LoopSocket extends MediaSocket {
    /** Binds a new one; throws when the port is taken. */
    @FunctionalInterface
    interface Binder {
        LoopSocket bind(InetSocketAddress local) throws IOException;
    }

    /**
     * Registers on {@code loop} and reads into {@code listener}; {@code done} runs on the loop with null, or the
     * failure (the socket is left as it was: close it).
     */
    void register(IoEventLoop loop, NativeUdpSocket.Listener listener, Consumer<Throwable> done);

    /** Closes at once; for a socket that never registered, or on its loop. */
    void close();
}
