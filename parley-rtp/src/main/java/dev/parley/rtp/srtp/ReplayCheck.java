package dev.parley.rtp.srtp;

/** What a {@link ReplayWindow} says about a packet index. */
enum ReplayCheck {
    FRESH,
    DUPLICATE,
    TOO_OLD
}
