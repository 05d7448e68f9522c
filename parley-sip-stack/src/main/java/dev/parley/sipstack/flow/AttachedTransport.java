package dev.parley.sipstack.flow;

/**
 * The stack's side of a transport that lives outside it: the web module's SIP over WebSocket (RFC 7118). The
 * transport owns its connections and implements {@link Flow} for each; it tells the stack when one opens, hands it
 * every message, and tells it when one closes. {@link dev.parley.sipstack.SipStack#attachTransport} gives one.
 *
 * <p>Once opened, a flow is what {@code SipStack.flowTo(transport, flow.remoteAddress())} finds, so responses,
 * and requests to a contact registered over the connection, go down that same connection (RFC 7118 §5, RFC 5626
 * §5.3). A WebSocket client cannot be connected to, so when its connection is gone {@code flowTo} fails at once.
 *
 * <p>Thread-safe; every method returns quickly (the stack moves messages to its lanes).
 */
public interface AttachedTransport {

    /**
     * A connection opened. False when it is over the connection caps the stack shares with TCP and TLS (per source
     * address and in all): the transport must close it without reading from it.
     */
    boolean onOpened(Flow flow);

    /**
     * One complete message as it came: a WebSocket message carries exactly one SIP message (RFC 7118 §5.1), so no
     * stream framing applies and {@code Content-Length} may be absent. A CRLF CRLF keep-alive (RFC 5626 §3.5.1) is
     * answered with CRLF on the flow; a malformed request is answered 400 on the flow; the rest goes to the stack.
     *
     * @return true when it was a complete SIP message (not a keep-alive, not malformed): the transport's idle
     *     timeout for unauthenticated connections counts from the last such message
     */
    boolean onMessage(Flow flow, byte[] message);

    /** The connection closed: its transactions fail, and the PBX drops the bindings registered over it. */
    void onClosed(Flow flow);
}
