package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
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
}
