package dev.parley.rtp.srtp;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.RtpStatus;

/**
 * Unprotects everything Parley receives on one leg: one SRTP/SRTCP session in the receiving direction, for any
 * number of SSRCs up to a cap. Packets are verified, then decrypted in place; the buffer shrinks by the trailer.
 *
 * <p>Per SSRC it keeps the highest index and a replay window of {@value ReplayWindow#SIZE} packets, separately
 * for RTP and RTCP (RFC 3711 §3.3.2). A stream's state is created only by a packet that authenticated: the
 * header, SSRC and sequence number included, is attacker-controlled until the tag is checked.
 *
 * <p>Not thread-safe: one receiver belongs to the event loop that owns the leg. {@code toString} never shows keys.
 */
public final class SrtpReceiver {
    private final SrtpProfile profile;
    private final PacketTransform transform;
    private final SsrcTable<ReplayWindow> rtpStreams;
    private final SsrcTable<ReplayWindow> rtcpStreams;
    // The RTP stream of the last packet: nearly every leg has one SSRC, and a hit skips the table's two arrays
    // (two cache misses per packet in a relay whose thousands of contexts are all cold by their next packet).
    private int lastRtpSsrc;
    private ReplayWindow lastRtpStream;

    public SrtpReceiver(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, masterKey, masterSalt, SrtpSender.DEFAULT_MAX_SSRCS);
    }

    public SrtpReceiver(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxSsrcs) {
        this.profile = profile;
        this.transform = PacketTransform.create(profile, masterKey, masterSalt);
        this.rtpStreams = new SsrcTable<>(maxSsrcs);
        this.rtcpStreams = new SsrcTable<>(maxSsrcs);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** The number of SSRCs with RTP state: only packets that authenticated count. */
    public int rtpSsrcCount() {
        return rtpStreams.size();
    }

    /** The number of SSRCs with RTCP state: only packets that authenticated count. */
    public int rtcpSsrcCount() {
        return rtcpStreams.size();
    }

    /** Turns the SRTP packet in {@code packet} back into RTP in place. */
    public SrtpStatus unprotectRtp(PacketBuffer packet) {
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        int header = RtpPacket.headerLength(a, off, len);
        if (header < 0) {
            return header == -RtpStatus.TOO_SHORT.ordinal() ? SrtpStatus.TOO_SHORT : SrtpStatus.MALFORMED;
        }
        int tag = profile.rtpTagLength();
        if (len - header < tag) {
            return SrtpStatus.TOO_SHORT;
        }
        // Start the cold cipher objects' loads now, in parallel with this context's own (see touchRtp)
        if (transform.touchRtp() < 0) {
            throw new IllegalStateException("unreachable: touchRtp sums lengths and counts");
        }
        int ssrc = SrtpSender.readInt(a, off + 8);
        int seq = ((a[off + 2] & 0xFF) << 8) | (a[off + 3] & 0xFF);
        ReplayWindow seen = rtpStream(ssrc);
        long index;
        if (seen == null) {
            if (rtpStreams.isFull()) {
                return SrtpStatus.SSRC_LIMIT;
            }
            index = seq; // RFC 3711 §3.3.1: a new stream starts with ROC 0 and s_l = its first SEQ
        } else {
            index = RolloverCounter.estimate(seen.highest(), seq);
            // RFC 3711 §3.3 step 2: the replay check comes first, so replays cost no cryptography
            SrtpStatus fresh = SrtpSender.fresh(seen, index);
            if (fresh != SrtpStatus.OK) {
                return fresh;
            }
        }
        if (!transform.unprotectRtp(a, off, len, header, ssrc, index)) {
            return SrtpStatus.AUTH_FAILED;
        }
        // SECURITY: only now may the packet touch state. Before the tag verified, SSRC and SEQ were whatever a
        // forger wrote: creating the context earlier would let forged packets fill the SSRC table (locking real
        // streams out), and accepting the index earlier would let one forged high SEQ advance the ROC estimate
        // and make every genuine packet after it fail to authenticate.
        if (seen == null) {
            seen = new ReplayWindow();
            rtpStreams.put(ssrc, seen);
            lastRtpSsrc = ssrc;
            lastRtpStream = seen;
        }
        seen.accept(index);
        packet.length(len - tag);
        return SrtpStatus.OK;
    }

    /** Turns the SRTCP packet in {@code packet} back into an RTCP compound packet in place. */
    public SrtpStatus unprotectRtcp(PacketBuffer packet) {
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        int overhead = profile.rtcpOverhead();
        if (len < 8 + overhead) {
            return SrtpStatus.TOO_SHORT;
        }
        if ((a[off] & 0xC0) != 0x80) {
            return SrtpStatus.MALFORMED;
        }
        // RFC 3711 §3.4: E flag and index precede the tag; RFC 7714 §9: with GCM they are the last word
        int wordAt = profile.aead() ? off + len - 4 : off + len - profile.rtcpTagLength() - 4;
        int word = SrtpSender.readInt(a, wordAt);
        long index = word & 0x7FFFFFFFL;
        int ssrc = SrtpSender.readInt(a, off + 4);
        ReplayWindow seen = rtcpStreams.get(ssrc);
        if (seen == null) {
            if (rtcpStreams.isFull()) {
                return SrtpStatus.SSRC_LIMIT;
            }
        } else {
            SrtpStatus fresh = SrtpSender.fresh(seen, index);
            if (fresh != SrtpStatus.OK) {
                return fresh;
            }
        }
        if (!transform.unprotectRtcp(a, off, len, ssrc, word)) {
            return SrtpStatus.AUTH_FAILED;
        }
        // SECURITY: as for RTP, the sender SSRC and the index are unauthenticated until the tag verified; only an
        // authentic packet may create an SSRC context or move the replay window.
        if (seen == null) {
            seen = new ReplayWindow();
            rtcpStreams.put(ssrc, seen);
        }
        seen.accept(index);
        packet.length(len - overhead);
        return SrtpStatus.OK;
    }

    private ReplayWindow rtpStream(int ssrc) {
        ReplayWindow last = lastRtpStream;
        if (last != null && lastRtpSsrc == ssrc) {
            return last;
        }
        ReplayWindow found = rtpStreams.get(ssrc);
        if (found != null) {
            lastRtpSsrc = ssrc;
            lastRtpStream = found;
        }
        return found;
    }

    @Override
    public String toString() {
        return "SrtpReceiver[" + profile + ", rtpSsrcs=" + rtpStreams.size() + ", rtcpSsrcs=" + rtcpStreams.size()
                + "]";
    }
}
