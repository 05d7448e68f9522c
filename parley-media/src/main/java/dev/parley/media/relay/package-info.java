/**
 * Endpoints and the relay between them, on Netty event loops: source latching, per-leg protection, payload type
 * mapping and G.711 law conversion, one continuous outgoing stream per leg, RTCP terminated and regenerated per leg,
 * media timeouts; a browser's endpoint puts its {@code webrtc} leg (ICE-lite, DTLS-SRTP) in front, on a port of its
 * own or on the one {@link dev.parley.media.relay.SharedWebRtcPort}. Depends on {@code webrtc}, {@code protect},
 * {@code codec}, parley-rtp (packet views, RTCP, RFC 4733, the ICE demux table), parley-media-api and Netty.
 */
package dev.parley.media.relay;
