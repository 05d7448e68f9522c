package dev.parley.media.relay;

/**
 * Takes over the still-bound sockets of an endpoint that closes, instead of letting it close them (see
 * {@link IdlePairs}). Called once, on the endpoint's home loop, with its RTP and RTCP sockets.
 */
@FunctionalInterface
public interface SocketKeeper {
    /** True when it took both sockets (the endpoint then leaves them open), false to have them closed. */
    boolean keep(MediaLoop home, int port, MediaSocket rtp, MediaSocket rtcp);
}
