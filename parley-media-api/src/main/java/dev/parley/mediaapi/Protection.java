package dev.parley.mediaapi;

import java.util.Arrays;
import java.util.Objects;

/**
 * How one direction of a leg is protected on the wire. Key material never appears in {@link #toString()}: these
 * records travel through logs of the control plane.
 */
public sealed interface Protection permits Protection.Plain, Protection.Sdes {

    /** Plain RTP/RTCP. */
    static Protection none() {
        return Plain.INSTANCE;
    }

    /** Whether the wire carries SRTP in this direction. */
    boolean encrypted();

    /** Plain RTP: no confidentiality, no authentication. */
    enum Plain implements Protection {
        INSTANCE;

        @Override
        public boolean encrypted() {
            return false;
        }

        @Override
        public String toString() {
            return "RTP";
        }
    }

    /**
     * SRTP keyed by SDES (RFC 4568): the master key and salt from one {@code a=crypto} line. Parley makes fresh
     * random keys for what it sends on each leg and takes the peer's key for what it receives.
     */
    record Sdes(SrtpSuite suite, byte[] masterKey, byte[] masterSalt) implements Protection {
        public Sdes {
            Objects.requireNonNull(suite, "suite");
            if (masterKey.length != suite.masterKeyLength() || masterSalt.length != suite.masterSaltLength()) {
                throw new IllegalArgumentException(suite.sdesName() + " needs a " + suite.masterKeyLength()
                        + "-byte key and a " + suite.masterSaltLength() + "-byte salt");
            }
            masterKey = masterKey.clone();
            masterSalt = masterSalt.clone();
        }

        @Override
        public byte[] masterKey() {
            return masterKey.clone();
        }

        @Override
        public byte[] masterSalt() {
            return masterSalt.clone();
        }

        @Override
        public boolean encrypted() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sdes s && s.suite == suite
                    && Arrays.equals(s.masterKey, masterKey) && Arrays.equals(s.masterSalt, masterSalt);
        }

        @Override
        public int hashCode() {
            return suite.hashCode() * 31 + Arrays.hashCode(masterKey);
        }

        /** The suite only: the key and salt are secrets. */
        @Override
        public String toString() {
            return "SRTP/SDES " + suite.sdesName();
        }
    }
}
