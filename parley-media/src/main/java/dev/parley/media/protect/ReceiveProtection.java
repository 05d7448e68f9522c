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
}
