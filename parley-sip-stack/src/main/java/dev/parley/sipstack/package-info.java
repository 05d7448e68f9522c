/**
 * The SIP stack: transactions (RFC 3261 §17), dialogs (§12) and transports. Depends on {@code parley-sip},
 * {@code parley-common} and Netty; never on the PBX.
 */
package dev.parley.sipstack;
