package dev.parley.mediaapi;

import java.util.Objects;

/**
 * One side's ICE username fragment and password as carried in SDP {@code a=ice-ufrag} / {@code a=ice-pwd}
 * (RFC 8839 §5.4). The password keys STUN MESSAGE-INTEGRITY, so {@link #toString()} leaves it out.
 */
public record IceCredentials(String ufrag, String password) {
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "ice-ufrag " + ufrag + " (password redacted)";
    }
}
