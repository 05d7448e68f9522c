package dev.parley.rtp.dtls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Test plumbing: delivers one session's datagrams to another that may not exist yet (a client's ClientHello can
 * be answered before {@code start} has returned the client), keeping them in order until it does.
 */
final class Wire {
    private final Predicate<byte[]> drop;
    private DtlsSrtpSession target;
    private final List<byte[]> pending = new ArrayList<>();

    Wire() {
        this(datagram -> false);
    }

    Wire(Predicate<byte[]> drop) {
        this.drop = drop;
    }

    synchronized void send(byte[] datagram) {
        if (drop.test(datagram)) {
            return;
        }
        if (target == null) {
            pending.add(datagram);
        } else {
            target.receive(datagram, 0, datagram.length);
        }
    }

    synchronized void connect(DtlsSrtpSession session) {
        target = session;
        for (byte[] datagram : pending) {
            session.receive(datagram, 0, datagram.length);
        }
        pending.clear();
    }
}
