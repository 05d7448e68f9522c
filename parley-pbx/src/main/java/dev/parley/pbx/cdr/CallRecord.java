package dev.parley.pbx.cdr;

import dev.parley.pbx.directory.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * What happened on one call (a CDR).
 *
 * <p>The users, not the numbers, say whose call this is in the history: an extension given to someone else later
 * takes none of its old calls along, and a user keeps their calls when their number changes.
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
 * @param callerUser the user who placed the call (the owner of the calling device), or {@code null} (a trunk call,
 *     or not known to whoever made the record: the store then fills it from {@code caller} as the directory
 *     stands when it writes the record)
 * @param calleeUser the user whose extension was dialled, or {@code null} (likewise filled from {@code callee})
 * @param answeredByUser the owner of the device that answered, or {@code null} (likewise from {@code answeredBy})
 */
public record CallRecord(String id, String callId, String caller, String callee, String answeredBy,
        Instant startedAt, Instant answeredAt, Instant endedAt, int status, String cause, LegRecord callerLeg,
        LegRecord calleeLeg, boolean encryptedAllLegs, UserId callerUser, UserId calleeUser,
        UserId answeredByUser) {
    public CallRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(callee, "callee");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(cause, "cause");
    }

    /** A record whose users are left for the store to fill from the numbers and devices. */
    public CallRecord(String id, String callId, String caller, String callee, String answeredBy, Instant startedAt,
            Instant answeredAt, Instant endedAt, int status, String cause, LegRecord callerLeg, LegRecord calleeLeg,
            boolean encryptedAllLegs) {
        this(id, callId, caller, callee, answeredBy, startedAt, answeredAt, endedAt, status, cause, callerLeg,
                calleeLeg, encryptedAllLegs, null, null, null);
    }

    /** A record without media details (a call refused before any leg was set up). */
    public CallRecord(String id, String callId, String caller, String callee, String answeredBy, Instant startedAt,
            Instant answeredAt, Instant endedAt, int status, String cause) {
        this(id, callId, caller, callee, answeredBy, startedAt, answeredAt, endedAt, status, cause, null, null,
                false);
    }

    /** This record with its users: those given replace the ones it has. */
    public CallRecord withUsers(UserId caller, UserId callee, UserId answeredBy) {
        return new CallRecord(id, callId, this.caller, this.callee, this.answeredBy, startedAt, answeredAt, endedAt,
                status, cause, callerLeg, calleeLeg, encryptedAllLegs, caller, callee, answeredBy);
    }

    /** Whether {@code user} placed, was dialled on or answered this call. */
    public boolean involves(UserId user) {
        return user.equals(callerUser) || user.equals(calleeUser) || user.equals(answeredByUser);
    }

    public boolean answered() {
        return answeredAt != null;
    }
}
