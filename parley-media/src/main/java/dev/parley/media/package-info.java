/**
 * The media plane: {@link dev.parley.media.NettyMediaService} implements parley-media-api's
 * {@link dev.parley.mediaapi.MediaService} on Netty event loops, with {@link dev.parley.media.MediaSettings}.
 * Sub-packages: {@code port} (the UDP port pool), {@code protect} (plain RTP and SRTP per leg and
 * direction, on parley-rtp), {@code codec} (G.711), {@code relay} (endpoints, latching, relay,
 * RTCP, timeouts). Depends on parley-media-api, parley-rtp, parley-common, Netty and SLF4J; never on the PBX or
 * the SIP modules.
 */
package dev.parley.media;
