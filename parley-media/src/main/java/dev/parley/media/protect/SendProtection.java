package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;

/**
 * Encrypts and authenticates what Parley sends to one peer, in place: the buffer must have the profile's overhead
 * as spare room. One instance per leg and direction; event-loop confined. Anything but {@link SrtpStatus#OK} means
 * the packet must not be sent (for instance {@code REPLAYED}: a duplicate would reuse a keystream).
 */
public interface SendProtection {

    SrtpStatus protectRtp(PacketBuffer packet);

    SrtpStatus protectRtcp(PacketBuffer packet);

    /** The SRTP sender this merely passes packets to, or null: see {@link ReceiveProtection#srtpReceiver()}. */
    default SrtpSender srtpSender() {
        return null;
    }
}
