package dev.parley.pbx.cdr;

import java.time.Instant;
import java.util.Objects;

/**
 * What happened on one call (a CDR).
 *
 * @param id Parley's id of the call (unique, stable)
 * @param callId the SIP Call-ID of the caller's leg
 * @param caller who called: the authenticated user's extension or SIP username, or the From user of a trunk call
 * @param callee the dialled extension or number, as dialled
 * @param answeredBy the device (SIP username) that answered, or {@code null} when nobody did
 * @param startedAt when the INVITE arrived
 * @param answeredAt when the callee answered (200 OK), or {@code null}
 * @param endedAt when the call ended
 * @param status the final SIP status of the caller's leg (200 for an answered call)
 * @param cause why it ended, one of: {@code answered-caller-hangup}, {@code answered-callee-hangup},
 *     {@code cancelled}, {@code busy}, {@code no-answer}, {@code unavailable}, {@code not-found}, {@code rejected},
 *     {@code failed}, {@code media-timeout}, {@code connection-lost} (a browser leg's WebSocket closed),
 *     {@code shutdown}, {@code transferred} (a blind transfer ended this
 *     record; the call went on as a new record)
 * @param callerLeg the caller's leg: signalling transport, media protection, packet counts; {@code null} when the
 *     call never got that far (refused before any media was set up)
 * @param calleeLeg the answering callee's leg, or {@code null} when nobody answered
 * @param encryptedAllLegs the padlock: true only when the call was answered and every leg's media was SRTP (and so
 *     every leg's signalling TLS)
 */
public record CallRecord(String id, String callId, String caller, String callee, String answeredBy,
        Instant startedAt, Instant answeredAt, Instant endedAt, int status, String cause, LegRecord callerLeg,
        LegRecord calleeLeg, boolean encryptedAllLegs) {
    public CallRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callee, "callee");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(cause, "cause");
    }

    /** A record without media details (a call refused before any leg was set up). */
    public CallRecord(String id, String callId, String caller, String callee, String answeredBy, Instant startedAt,
            Instant answeredAt, Instant endedAt, int status, String cause) {
        this(id, callId, caller, callee, answeredBy, startedAt, answeredAt, endedAt, status, cause, null, null,
                false);
    }

    public boolean answered() {
        return answeredAt != null;
    }
}
