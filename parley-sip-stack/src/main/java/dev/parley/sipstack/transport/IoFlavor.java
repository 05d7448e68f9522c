package dev.parley.sipstack.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Native epoll when its library loads, Java NIO otherwise. The epoll classes are reached by name because the build
 * puts {@code netty-transport-native-epoll} on the runtime class path only (the Netty BOM's scope); everything
 * else is plain Netty API.
 *
 * @param why for the log: which one, and why not epoll when not
 */
record IoFlavor(boolean isNative, IoHandlerFactory handlers, Class<? extends Channel> datagram,
        Class<? extends ServerChannel> server, Class<? extends Channel> socket, String why) {

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
            return new IoFlavor(true, factory, Class.forName(EPOLL + "EpollDatagramChannel").asSubclass(Channel.class),
                    Class.forName(EPOLL + "EpollServerSocketChannel").asSubclass(ServerChannel.class),
                    Class.forName(EPOLL + "EpollSocketChannel").asSubclass(Channel.class), "native epoll");
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return nio("epoll not on the class path: " + e);
        }
    }

    private static IoFlavor nio(String why) {
        return new IoFlavor(false, NioIoHandler.newFactory(), NioDatagramChannel.class, NioServerSocketChannel.class,
                NioSocketChannel.class, "Java NIO (" + why + ")");
    }
}
