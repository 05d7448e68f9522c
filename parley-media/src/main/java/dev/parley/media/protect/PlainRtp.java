package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpStatus;

/** Plain RTP/RTCP: nothing to check, nothing to encrypt. */
public enum PlainRtp implements ReceiveProtection, SendProtection {
    INSTANCE;

    @Override
    public SrtpStatus unprotectRtp(PacketBuffer packet) {
        return SrtpStatus.OK;
    }

    @Override
    public SrtpStatus unprotectRtcp(PacketBuffer packet) {
        return SrtpStatus.OK;
    }

    @Override
    public SrtpStatus protectRtp(PacketBuffer packet) {
        return SrtpStatus.OK;
    }

    @Override
    public SrtpStatus protectRtcp(PacketBuffer packet) {
        return SrtpStatus.OK;
    }
}
