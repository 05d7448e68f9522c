package dev.parley.pbx.registrar;

import dev.parley.pbx.directory.DeviceId;
import dev.parley.sip.header.Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One registration: an address of record bound to a contact until an instant (RFC 3261 §10.3).
 *
 * <p>The expiry is an absolute wall-clock instant, not a duration, so a binding read back after a restart has
 * exactly the time it had left.
 *
 * @param aor the address of record's key: the user part of the REGISTER's To URI (Parley serves one domain, so the
 *     user part names the AOR; e.g. {@code "101"})
 * @param contact the Contact value as the phone sent it, minus its {@code expires} parameter (q, +sip.instance,
 *     reg-id and the rest kept)
 * @param callId the Call-ID of the REGISTER that last wrote the binding (RFC 3261 §10.3 step 7)
 * @param cseq its CSeq number
 * @param expiresAt when the binding ends
 * @param updatedAt when it was last written
 * @param path the Path header values of that REGISTER, in order (RFC 3327 §5.3): the route to reach the contact
 * @param receivedFrom where that REGISTER came from
 * @param deviceId the device that authenticated it
 * @param userAgent its User-Agent header, or {@code null}; for the admin view
 */
public record Binding(String aor, Address contact, String callId, long cseq, Instant expiresAt, Instant updatedAt,
        List<Address> path, ReceivedFrom receivedFrom, DeviceId deviceId, String userAgent) {

    public Binding {
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(contact, "contact");
        if (contact.isWildcard()) {
            throw new IllegalArgumentException("a binding's contact cannot be *");
        }
        contact = contact.parameters().has("expires")
                ? new Address(contact.displayName(), contact.uri(), contact.parameters().without("expires"))
                : contact;
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        path = List.copyOf(path);
        Objects.requireNonNull(receivedFrom, "receivedFrom");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whole seconds left, rounded up (a binding with 0.4 s left still reports 1); 0 once expired. */
    public long remainingSeconds(Instant now) {
        if (isExpired(now)) {
            return 0;
        }
        Duration left = Duration.between(now, expiresAt);
        return left.getNano() == 0 ? left.getSeconds() : left.getSeconds() + 1;
    }

    /** The contact's {@code q} parameter (RFC 3261 §20.10), 1.0 when absent or unreadable. */
    public double q() {
        String q = contact.parameters().value("q");
        if (q == null) {
            return 1.0;
        }
        try {
            double v = Double.parseDouble(q);
            return v >= 0 && v <= 1 ? v : 1.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }
}
