package dev.parley.bench.media;

import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Waits until one of the generator's sockets has a datagram or a time has passed, whichever is first: an epoll set
 * with the sockets (level-triggered {@code EPOLLIN}) and a timerfd for the timeout, through Netty's native epoll (the
 * same {@code epoll_wait} + {@code timerfd_settime} its event loops use, so the timeout has nanosecond resolution,
 * not {@code epoll_wait}'s milliseconds). Which socket woke it does not matter: the generator reads both.
 */
final class ReadinessWait implements AutoCloseable {
    private static final MethodHandle NEW_EVENTS;

    static {
        try {
            NEW_EVENTS = MethodHandles.privateLookupIn(EpollEventArray.class, MethodHandles.lookup())
                    .findConstructor(EpollEventArray.class, MethodType.methodType(void.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FileDescriptor epoll;
    private final FileDescriptor timer;
    private final EpollEventArray events;

    ReadinessWait(int... fds) throws IOException {
        epoll = Native.newEpollCreate();
        timer = Native.newTimerFd();
        try {
            events = (EpollEventArray) NEW_EVENTS.invokeExact(8);
        } catch (Throwable e) {
            close(epoll, timer);
            throw new IOException("Netty's epoll event array", e);
        }
        try {
            // edge-triggered, as Netty registers its loops' timerfd: each expiry is one wake-up, never read
            Native.epollCtlAdd(epoll.intValue(), timer.intValue(), Native.EPOLLIN | Native.EPOLLET);
            for (int fd : fds) {
                Native.epollCtlAdd(epoll.intValue(), fd, Native.EPOLLIN);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Returns when a socket is readable or after {@code nanos} (at least 1 µs), whichever is first. */
    void await(long nanos) {
        long wait = Math.max(1_000L, nanos);
        try {
            Native.epollWait(epoll, events, timer, (int) (wait / 1_000_000_000L), (int) (wait % 1_000_000_000L));
        } catch (IOException e) {
            // EINTR and the like: the caller loops and waits again
        }
    }

    @Override
    public void close() {
        close(epoll, timer);
    }

    private static void close(FileDescriptor... fds) {
        for (FileDescriptor fd : fds) {
            try {
                fd.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
