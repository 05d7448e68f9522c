package dev.parley.media.relay;

import io.netty.channel.Channel;

/**
 * Takes over the still-bound sockets of an endpoint that closes, instead of letting it close them (see
 * {@link IdlePairs}). Called once, on the endpoint's home loop, with its RTP and RTCP channels.
 */
@FunctionalInterface
public interface SocketKeeper {
    /** True when it took both channels (the endpoint then leaves them open), false to have them closed. */
    boolean keep(MediaLoop home, int port, Channel rtp, Channel rtcp);
}
