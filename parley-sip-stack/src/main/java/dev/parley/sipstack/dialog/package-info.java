/**
 * SIP dialogs (RFC 3261 §12) for one leg of a UA or B2BUA: the dialog state (id, sequence numbers, URIs, remote
 * target, route set, secure flag, early or confirmed), its creation on either side, the construction of requests
 * inside it (including the ACK for a 2xx), the checks of requests that arrive in it, and a registry by dialog id.
 *
 * <p>Like the transaction layer, dialogs are confined to one serial lane (the lane of their Call-ID) and hold no
 * locks. Depends on {@code parley-sip} and {@code parley-common}; it does not send anything itself: the caller adds
 * the Via (and Contact where needed) to the requests built here and hands them to the transaction layer.
 */
package dev.parley.sipstack.dialog;
