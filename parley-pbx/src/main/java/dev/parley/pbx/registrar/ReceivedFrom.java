package dev.parley.pbx.registrar;

import dev.parley.sipstack.flow.Flow;
import dev.parley.sipstack.flow.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a REGISTER came from, kept with each of its bindings: requests to a UDP phone behind NAT must go to this
 * address, not to the private address in its Contact (the Contact URI is kept as given, RFC 3261 §10.3 step 7);
 * requests to a TCP, TLS or WebSocket phone must use this connection while it is open (RFC 5626 §5.3, RFC 7118 §5).
 *
 * @param transport the transport it arrived on
 * @param remote the peer's address and port as seen on the wire
 * @param local the local address it arrived at (the one to send from on a multi-homed host)
 * @param flowId {@link Flow#id()}; meaningful only while that flow is open — after a restart, for reliable
 *     transports the stack must open a new connection to {@code remote} or the contact
 */
public record ReceivedFrom(Transport transport, InetSocketAddress remote, InetSocketAddress local, String flowId) {
    public ReceivedFrom {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(flowId, "flowId");
    }

    public static ReceivedFrom of(Flow flow) {
        return new ReceivedFrom(flow.transport(), flow.remoteAddress(), flow.localAddress(), flow.id());
    }
}
