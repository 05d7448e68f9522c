/**
 * What a browser's leg adds in front of the relay (RFC 8827, RFC 8834): an ICE-lite agent that answers the
 * browser's connectivity checks and picks the address to send to, and a DTLS-SRTP session whose exported keys
 * protect the leg's media. Sans-I/O coordinators over parley-rtp's engines: the relay hands datagrams in and
 * sends what comes out; no Netty here. Depends on protect, parley-rtp, parley-media-api and parley-common.
 */
package dev.parley.media.webrtc;
