package dev.parley.sdp.offeranswer;

import dev.parley.sdp.MediaDescription;

/**
 * The local RTP port for an m-line Parley accepts: called once per accepted m-line, in order, so the PBX can open
 * its media endpoint only for streams that are taken.
 */
@FunctionalInterface
public interface LocalPorts {

    /** The RTP port (RTCP on the next one unless muxed) Parley receives this m-line's media on. */
    int rtpPort(int mediaIndex, MediaDescription offered);
}
