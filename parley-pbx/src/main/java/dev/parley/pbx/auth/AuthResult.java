package dev.parley.pbx.auth;

import dev.parley.pbx.directory.Device;
import dev.parley.sip.auth.DigestAlgorithm;
import dev.parley.sip.message.SipResponse;
import java.util.Objects;

/** What {@link DigestAuthenticator#authenticate} decided. */
public sealed interface AuthResult {

    /** The request carries valid, fresh credentials of {@code device}. */
    record Authenticated(Device device, DigestAlgorithm algorithm) implements AuthResult {
        public Authenticated {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(algorithm, "algorithm");
        }
    }

    /**
     * Send {@code response} (401 for REGISTER, 407 otherwise) and go no further.
     *
     * @param claimedUsername the username the credentials named, for the security log, or {@code null} when there
     *     were none; attacker-controlled text
     */
    record Challenged(SipResponse response, ChallengeReason reason, String claimedUsername) implements AuthResult {
        public Challenged {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
