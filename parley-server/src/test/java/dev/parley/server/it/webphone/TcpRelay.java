package dev.parley.server.it.webphone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network between a browser and Parley's HTTPS port that a test can cut: a plain TCP relay on 127.0.0.1 (TLS goes
 * through it untouched, so the page, {@code /api}, the event stream and the phone's {@code wss://…/ws} all pass
 * here when the browser opens {@code https://127.0.0.1:<relay port>}). {@link #cut()} resets every connection (RST
 * to the browser, as a lost Wi-Fi or a dead NAT mapping looks to the browser's network stack once it notices) and
 * resets each new one at once until {@link #restore()}. UDP (the call's media) does not pass here: it goes straight
 * to Parley's media ports, as it may survive a real signalling drop.
 *
 * <p>Test code. One virtual thread per direction of each connection.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Listens on an ephemeral port of 127.0.0.1 and relays to {@code 127.0.0.1:targetPort}. */
    static TcpRelay start(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket listener = new ServerSocket(0, 50, loopback);
        TcpRelay relay = new TcpRelay(listener, new InetSocketAddress(loopback, targetPort));
        Thread.ofVirtual().name("relay-accept").start(relay::acceptLoop);
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every open connection and every new one until {@link #restore()}. */
    void cut() {
        cut = true;
        for (Socket s : sockets) {
            reset(s);
        }
    }

    void restore() {
        cut = false;
    }

    /** Connections relayed, and connections reset on arrival while cut. */
    String counts() {
        return accepted.get() + " relayed, " + refused.get() + " refused while cut";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket browser;
            try {
                browser = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                refused.incrementAndGet();
                reset(browser);
                continue;
            }
            accepted.incrementAndGet();
            Thread.ofVirtual().name("relay-connect").start(() -> connect(browser));
        }
    }

    private void connect(Socket browser) {
        Socket server = new Socket();
        try {
            server.connect(target, 3000);
        } catch (IOException e) {
            reset(browser);
            close(server);
            return;
        }
        sockets.add(browser);
        sockets.add(server);
        if (cut) { // cut while connecting
            reset(browser);
            reset(server);
            return;
        }
        AtomicInteger open = new AtomicInteger(2); // directions still flowing
        Thread.ofVirtual().name("relay-up").start(() -> pump(browser, server, open));
        Thread.ofVirtual().name("relay-down").start(() -> pump(server, browser, open));
    }

    private void pump(Socket from, Socket to, AtomicInteger open) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput(); // an orderly end on one side is an orderly end on the other (FIN)
            if (open.decrementAndGet() == 0) {
                close(from);
                close(to);
            }
        } catch (IOException e) {
            reset(to);
            reset(from);
        }
    }

    /** Closes with an RST (SO_LINGER 0): the peer sees "connection reset", not an orderly end. */
    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        close(s);
    }

    private void close(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : sockets) {
            close(s);
        }
    }
}
