package dev.parley.rtp.srtp;

import dev.parley.rtp.PacketBuffer;
import dev.parley.rtp.RtpPacket;
import dev.parley.rtp.RtpStatus;

/**
 * Protects everything Parley sends on one leg: one SRTP/SRTCP session in the sending direction, for any number
 * of SSRCs up to a cap. Packets are transformed in place; the buffer needs {@link SrtpProfile#rtpOverhead()}
 * (or {@link SrtpProfile#rtcpOverhead()}) spare octets.
 *
 * <p>Per SSRC it keeps the rollover counter (RFC 3711 §3.3.1, estimated from the sequence numbers the way a
 * receiver does, so a relay that forwards reordered packets still sends each with its right index) and a window
 * of the indices it has used: protecting the same index twice would reuse keystream, and with GCM the nonce, so a
 * repeated index is refused with {@link SrtpStatus#REPLAYED}. SRTCP indices count up from 0 per sender SSRC.
 *
 * <p>Not thread-safe: one sender belongs to the event loop that owns the leg. {@code toString} never shows keys.
 */
public final class SrtpSender {
    /** Default cap on SSRC contexts per session (audio, video, RTX, FEC of a few conference participants). */
    public static final int DEFAULT_MAX_SSRCS = 64;

    private final SrtpProfile profile;
    private final PacketTransform transform;
    private final SsrcTable<ReplayWindow> rtpStreams;
    private final SsrcTable<ReplayWindow> rtcpStreams;
    // The RTP stream of the last packet: nearly every leg has one SSRC, and a hit skips the table's two arrays
    // (two cache misses per packet in a relay whose thousands of contexts are all cold by their next packet).
    private int lastRtpSsrc;
    private ReplayWindow lastRtpStream;

    public SrtpSender(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, masterKey, masterSalt, DEFAULT_MAX_SSRCS);
    }

    public SrtpSender(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxSsrcs) {
        this.profile = profile;
        this.transform = PacketTransform.create(profile, masterKey, masterSalt);
        this.rtpStreams = new SsrcTable<>(maxSsrcs);
        this.rtcpStreams = new SsrcTable<>(maxSsrcs);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Turns the RTP packet in {@code packet} into SRTP in place, growing it by the tag. */
    public SrtpStatus protectRtp(PacketBuffer packet) {
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        int header = RtpPacket.headerLength(a, off, len);
        if (header < 0) {
            return header == -RtpStatus.TOO_SHORT.ordinal() ? SrtpStatus.TOO_SHORT : SrtpStatus.MALFORMED;
        }
        int tag = profile.rtpTagLength();
        if (packet.spare() < tag) {
            return SrtpStatus.NO_SPACE;
        }
        // Start the cold cipher objects' loads now, in parallel with this context's own (see touchRtp)
        if (transform.touchRtp() < 0) {
            throw new IllegalStateException("unreachable: touchRtp sums lengths and counts");
        }
        int ssrc = readInt(a, off + 8);
        int seq = ((a[off + 2] & 0xFF) << 8) | (a[off + 3] & 0xFF);
        ReplayWindow used = rtpStream(ssrc);
        long index;
        if (used == null) {
            if (rtpStreams.isFull()) {
                return SrtpStatus.SSRC_LIMIT;
            }
            used = new ReplayWindow();
            rtpStreams.put(ssrc, used);
            lastRtpSsrc = ssrc;
            lastRtpStream = used;
            index = seq;
        } else {
            index = RolloverCounter.estimate(used.highest(), seq);
            SrtpStatus fresh = fresh(used, index);
            if (fresh != SrtpStatus.OK) {
                return fresh;
            }
        }
        transform.protectRtp(a, off, len, header, ssrc, index);
        used.accept(index);
        packet.length(len + tag);
        return SrtpStatus.OK;
    }

    /** Turns the RTCP compound packet in {@code packet} into SRTCP in place (E = 1, the next SRTCP index). */
    public SrtpStatus protectRtcp(PacketBuffer packet) {
        byte[] a = packet.array();
        int off = packet.offset();
        int len = packet.length();
        if (len < 8) {
            return SrtpStatus.TOO_SHORT;
        }
        if ((a[off] & 0xC0) != 0x80) {
            return SrtpStatus.MALFORMED;
        }
        if (packet.spare() < profile.rtcpOverhead()) {
            return SrtpStatus.NO_SPACE;
        }
        int ssrc = readInt(a, off + 4);
        ReplayWindow sent = rtcpStreams.get(ssrc);
        if (sent == null) {
            if (rtcpStreams.isFull()) {
                return SrtpStatus.SSRC_LIMIT;
            }
            sent = new ReplayWindow();
            rtcpStreams.put(ssrc, sent);
        }
        long index = sent.highest() + 1;
        if (index > 0x7FFFFFFFL) {
            return SrtpStatus.INDEX_EXHAUSTED; // RFC 3711 §3.4: the SRTCP index is 31 bits; re-key before it wraps
        }
        transform.protectRtcp(a, off, len, ssrc, (int) index);
        sent.accept(index);
        packet.length(len + profile.rtcpOverhead());
        return SrtpStatus.OK;
    }

    static SrtpStatus fresh(ReplayWindow window, long index) {
        if (index < 0) {
            return SrtpStatus.TOO_OLD;
        }
        if (index > RolloverCounter.MAX_INDEX) {
            return SrtpStatus.INDEX_EXHAUSTED;
        }
        return switch (window.check(index)) {
            case FRESH -> SrtpStatus.OK;
            case DUPLICATE -> SrtpStatus.REPLAYED;
            case TOO_OLD -> SrtpStatus.TOO_OLD;
        };
    }

    static int readInt(byte[] a, int at) {
        return ((a[at] & 0xFF) << 24) | ((a[at + 1] & 0xFF) << 16) | ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
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
        return "SrtpSender[" + profile + ", rtpSsrcs=" + rtpStreams.size() + ", rtcpSsrcs=" + rtcpStreams.size()
                + "]";
    }
}
