package dev.parley.media;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * Native epoll when its library loads, Java NIO otherwise (as parley-sip-stack chooses). The epoll classes are
 * reached by name so that a machine where they cannot link (another OS or architecture: the native library ships
 * for linux-x86_64 only) falls back to NIO instead of failing to start; the relay's own epoll sockets
 * ({@code relay.NativeUdpSocket}) are used only when this says native.
 *
 * @param why for the log: which one, and why not epoll when not
 */
record IoFlavor(boolean isNative, IoHandlerFactory handlers, Class<? extends Channel> datagram, String why) {

    private static final String EPOLL = "io.netty.channel.epoll.";

    static IoFlavor choose(boolean preferNative) {
        if (!preferNative) {
            return nio("native transport disabled by configuration");
        }
        try {
            Class<?> epoll = Class.forName(EPOLL + "Epoll");
            if (!(Boolean) epoll.getMethod("isAvailable").invoke(null)) {
                Throwable cause = (Throwable) epoll.getMethod("unavailabilityCause").invoke(null);
                return nio("epoll unavailable: " + cause);
            }
            IoHandlerFactory factory = (IoHandlerFactory) Class.forName(EPOLL + "EpollIoHandler")
                    .getMethod("newFactory").invoke(null);
            return new IoFlavor(true, factory,
                    Class.forName(EPOLL + "EpollDatagramChannel").asSubclass(Channel.class), "native epoll");
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return nio("epoll not on the class path: " + e);
        }
    }

    private static IoFlavor nio(String why) {
        return new IoFlavor(false, NioIoHandler.newFactory(), NioDatagramChannel.class, "Java NIO (" + why + ")");
    }
}
