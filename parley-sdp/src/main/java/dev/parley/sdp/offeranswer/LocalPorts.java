package dev.parley.sdp.offeranswer;

import dev.parley.sdp.MediaDescription;

/**
 * The local RTP port for an m-line Parley accepts: called once per acceptable m-line, in order, so the PBX can open
 * its media endpoint only for streams that are taken. Returning 0 declines the stream (it is answered with port 0,
 * RFC 3264 §6): a B2BUA with one endpoint per leg takes the first audio stream and declines the rest.
 */
@FunctionalInterface
public interface LocalPorts {

    /** The RTP port (RTCP on the next one unless muxed) Parley receives this m-line's media on, or 0 to decline. */
    int rtpPort(int mediaIndex, MediaDescription offered);
}
