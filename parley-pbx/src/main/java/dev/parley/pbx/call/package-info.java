/**
 * Calls: the back-to-back user agent. A {@link dev.parley.pbx.call.Call} is a thin coordinator between the caller's
 * leg (a UAS dialog) and the callee's branches (one client INVITE per registered contact, rung in parallel); it
 * relays provisional and final responses, CANCEL, BYE, re-INVITE, UPDATE and INFO between the legs, retransmits its
 * own 2xx until the ACK (RFC 3261 §13.3.1.4) and writes one CDR when it ends.
 *
 * <h2>Threading</h2>
 * Every call runs on one serial lane: the lane of the caller's Call-ID. The callee legs get Call-IDs from
 * {@link dev.parley.sipstack.SipStack#newCallId}, which land on the same lane, so everything that happens to a call
 * happens in order on one thread without locks. Nothing here blocks: CDRs are saved on virtual threads.
 *
 * <p>Depends on {@code parley-sip-stack} (transactions, dialogs, lanes), {@code parley-sip},
 * {@code dev.parley.pbx.routing} and {@code dev.parley.pbx.cdr}.
 */
package dev.parley.pbx.call;
