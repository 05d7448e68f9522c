/**
 * The control plane of the PBX. Depends on the SIP stack and wire format through their APIs and on its own ports
 * (repositories, clock) — never on Netty, JDBC or a media implementation.
 */
package dev.parley.pbx;
