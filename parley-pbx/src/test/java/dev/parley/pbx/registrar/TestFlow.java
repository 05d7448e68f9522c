package dev.parley.pbx.registrar;

import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A flow that records what would be sent. */
public record TestFlow(Transport transport, InetSocketAddress remoteAddress, InetSocketAddress localAddress, String id,
        List<byte[]> sent, AtomicBoolean authenticated) implements Flow {

    public static TestFlow udp(String remoteIp, int port) {
        return new TestFlow(Transport.UDP, new InetSocketAddress(remoteIp, port),
                new InetSocketAddress("192.0.2.1", 5060), "udp:" + remoteIp + ":" + port, new ArrayList<>(), new AtomicBoolean());
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void markAuthenticated() {
        authenticated.set(true);
    }

    @Override
    public void send(byte[] message) {
        sent.add(message);
    }
}
