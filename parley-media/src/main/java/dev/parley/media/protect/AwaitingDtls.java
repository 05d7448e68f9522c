package dev.parley.media.protect;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.srtp.SrtpStatus;

/**
 * A DTLS-SRTP leg before its handshake exported keys (RFC 5764 §4.2), or after it failed or was closed: nothing is
 * accepted and nothing is sent. SRTP without keys cannot be checked, and sending plain RTP to a browser would be
 * both refused and a leak.
 */
enum AwaitingDtls implements ReceiveProtection, SendProtection {
    INSTANCE;

    @Override
    public SrtpStatus unprotectRtp(PacketBuffer packet) {
        return SrtpStatus.AUTH_FAILED;
    }

    @Override
    public SrtpStatus unprotectRtcp(PacketBuffer packet) {
        return SrtpStatus.AUTH_FAILED;
    }

    @Override
    public boolean keyed() {
        return false;
    }

    @Override
    public SrtpStatus protectRtp(PacketBuffer packet) {
        return SrtpStatus.AUTH_FAILED;
    }

    @Override
    public SrtpStatus protectRtcp(PacketBuffer packet) {
        return SrtpStatus.AUTH_FAILED;
    }

    @Override
    public String toString() {
        return "SRTP awaiting DTLS keys";
    }
}
