package dev.parley.mediaapi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one direction of a leg is protected on the wire. Key material never appears in {@link #toString()}: these
 * records travel through logs of the control plane.
 */
public sealed interface Protection permits Protection.Plain, Protection.Sdes, Protection.DtlsSrtp {

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

    /**
     * SRTP keyed by a DTLS handshake on the media port (DTLS-SRTP, RFC 5763/5764), as browsers require
     * (RFC 8827 §6.5). The keys exist only in the media plane, once the handshake is done: this record carries
     * what authenticates the handshake. Both directions of a leg use the same value.
     *
     * @param role               which end of the handshake Parley plays, from the final {@code a=setup} values
     * @param remoteFingerprints the peer's {@code a=fingerprint} values (RFC 8122 §5); the handshake fails unless
     *                           the peer's certificate matches one whose hash function Parley knows (RFC 8842 §5)
     */
    record DtlsSrtp(Role role, List<CertificateFingerprint> remoteFingerprints) implements Protection {
        public DtlsSrtp {
            Objects.requireNonNull(role, "role");
            remoteFingerprints = List.copyOf(remoteFingerprints);
            if (remoteFingerprints.isEmpty()) {
                throw new IllegalArgumentException("DTLS-SRTP needs the peer's certificate fingerprint");
            }
        }

        @Override
        public boolean encrypted() {
            return true;
        }

        @Override
        public String toString() {
            return "SRTP/DTLS as " + role.name().toLowerCase(Locale.ROOT) + ", peer " + remoteFingerprints;
        }

        /**
         * The DTLS role Parley plays (RFC 5763 §5, RFC 4145 §4): the side whose final {@code a=setup} is
         * {@code active} is the client, {@code passive} the server. Parley answering a browser's {@code actpass}
         * answers {@code passive} (server); when Parley offers {@code actpass}, a browser answering {@code active}
         * makes Parley the server and one answering {@code passive} makes it the client.
         */
        public enum Role {
            CLIENT,
            SERVER;

            /**
             * Parley's role given its own final {@code a=setup} value ({@code active} → client, {@code passive} →
             * server); empty for {@code actpass}/{@code holdconn}, which decide nothing.
             */
            public static Optional<Role> forLocalSetup(String value) {
                return switch (value.trim().toLowerCase(Locale.ROOT)) {
                    case "active" -> Optional.of(CLIENT);
                    case "passive" -> Optional.of(SERVER);
                    default -> Optional.empty();
                };
            }

            /** Parley's role given the peer's final {@code a=setup} value: the opposite of the peer's. */
            public static Optional<Role> forRemoteSetup(String value) {
                return forLocalSetup(value).map(role -> role == CLIENT ? SERVER : CLIENT);
            }
        }
    }
}
