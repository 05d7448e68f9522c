package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpSender;
import dev.parley.rtp.srtp.SrtpStatus;

/** SRTP/SRTCP to a peer, keyed by the {@code a=crypto} Parley offered or answered on that leg, or by DTLS-SRTP. */
final class SdesSending implements SendProtection {
    private final SrtpSender sender;

    SdesSending(SrtpSender sender) {
        this.sender = sender;
    }

    @Override
    public SrtpStatus protectRtp(PacketBuffer packet) {
        return sender.protectRtp(packet);
    }

    @Override
    public SrtpStatus protectRtcp(PacketBuffer packet) {
        return sender.protectRtcp(packet);
    }

    @Override
    public SrtpSender srtpSender() {
        return sender;
    }

    @Override
    public String toString() {
        return "SRTP send " + sender.profile();
    }
}
