/**
 * SIP transactions (RFC 3261 §17, with the Accepted states of RFC 6026): the four state machines, their timers
 * A–M, the matching of requests and responses to transactions, and retransmission absorption. A sans-I/O engine:
 * it sends through {@link dev.parley.sipstack.flow.Flow}, reads time and schedules timers through
 * {@link dev.parley.common.Scheduler}, and reports to a {@link dev.parley.sipstack.transaction.TransactionUser}
 * and to each client transaction's {@link dev.parley.sipstack.transaction.ClientTransaction.Listener}.
 *
 * <h2>Threading contract</h2>
 * A {@link dev.parley.sipstack.transaction.TransactionLayer} is confined to one serial lane: every call into it
 * ({@code onRequest}, {@code onResponse}, {@code sendRequest}, {@code respond}, {@code onFlowClosed}) and every timer
 * task it schedules must run on that lane, one at a time. The stack keeps one layer per lane and picks the lane by
 * Call-ID (a CANCEL, an ACK and every response carry the Call-ID of their INVITE, so they reach the same layer); the
 * {@code Scheduler} it hands to the layer runs timer tasks on the same lane. There are therefore no locks here and
 * the transaction tables are plain hash maps. Listeners are called on the lane, synchronously; they may call back
 * into the layer (respond from {@code onRequest}, send a new request from {@code onFinal}) but must not block.
 *
 * <h2>What is not here</h2>
 * Transports (framing, connection reuse, RFC 3263 resolution), the UA core (dialogs, 2xx retransmission by the TU,
 * ACK for 2xx) and merged-request detection (RFC 3261 §8.2.2.2) live above or below this package.
 *
 * <p>Depends on {@code parley-sip}, {@code parley-common}, the flow SPI and SLF4J.
 */
package dev.parley.sipstack.transaction;
