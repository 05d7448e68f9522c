package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpStatus;

/**
 * Checks and decrypts what one peer sends, in place. One instance per leg and direction; event-loop confined.
 * Anything but {@link SrtpStatus#OK} means the packet must be dropped.
 */
public interface ReceiveProtection {

    SrtpStatus unprotectRtp(PacketBuffer packet);

    SrtpStatus unprotectRtcp(PacketBuffer packet);

    /**
     * False while a DTLS-SRTP leg has no keys yet: its packets are dropped unread, not counted as SRTP failures
     * (the browser's first packets can overtake the task that installs the keys its handshake just exported).
     */
    default boolean keyed() {
        return true;
    }

    /**
     * The SRTP receiver this merely passes packets to (SDES, or DTLS-SRTP once keyed), or null. The relay's packet
     * path calls it directly: in a relay of thousands of calls every object on a packet's way is a likely cache
     * miss, and this one would be a miss that the receiver's own cannot start before.
     */
    default SrtpReceiver srtpReceiver() {
        return null;
    }
}
