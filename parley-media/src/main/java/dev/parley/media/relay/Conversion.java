package dev.parley.media.relay;

import dev.parley.media.codec.G711;

/** What happens to a payload between two legs. */
enum Conversion {
    /** Same codec on both legs: bytes pass untouched. */
    NONE,
    /** The sending leg speaks only PCMU, the receiving one only PCMA. */
    ULAW_TO_ALAW,
    ALAW_TO_ULAW;

    void apply(byte[] b, int from, int to) {
        switch (this) {
            case NONE -> { }
            case ULAW_TO_ALAW -> G711.ulawToAlaw(b, from, to);
            case ALAW_TO_ULAW -> G711.alawToUlaw(b, from, to);
        }
    }
}
