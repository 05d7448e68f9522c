package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpReceiver;
import dev.parley.rtp.srtp.SrtpStatus;

/** SRTP/SRTCP from a peer, keyed by the peer's {@code a=crypto} (RFC 4568) or by a DTLS-SRTP handshake. */
final class SdesReceiving implements ReceiveProtection {
    private final SrtpReceiver receiver;

    SdesReceiving(SrtpReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public SrtpStatus unprotectRtp(PacketBuffer packet) {
        return receiver.unprotectRtp(packet);
    }

    @Override
    public SrtpStatus unprotectRtcp(PacketBuffer packet) {
        return receiver.unprotectRtcp(packet);
    }

    @Override
    public SrtpReceiver srtpReceiver() {
        return receiver;
    }

    @Override
    public String toString() {
        return "SRTP receive " + receiver.profile();
    }
}
