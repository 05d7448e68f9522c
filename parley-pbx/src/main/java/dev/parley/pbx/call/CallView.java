package dev.parley.pbx.call;

import dev.parley.pbx.directory.UserId;
import dev.parley.pbx.media.CallSecurity;
import java.time.Instant;

/**
 * A call in progress as an API shows it (the browser phone's padlock reads {@link #security()}): a value taken from
 * the live {@link Calls} registry, safe on any thread.
 *
 * @param id Parley's id of the call (the CDR's id when it ends)
 * @param callId the caller leg's SIP Call-ID
 * @param caller the caller as Parley vouches for it
 * @param callee what was dialled
 * @param answeredBy the device that answered, or {@code null} while ringing
 * @param startedAt when the INVITE arrived
 * @param answeredAt when it was answered, or {@code null}
 * @param security each leg's signalling and media protection, and whether every leg is encrypted
 * @param callerDevice the SIP username of the device that placed the call
 * @param callerUser the user who owns that device
 * @param calleeUser the user whose extension rings (owner of every device rung), or {@code null} before any rings
 * @param hold which side holds the answered call ({@link Hold#NONE} while neither does)
 */
public record CallView(String id, String callId, String caller, String callee, String answeredBy, Instant startedAt,
        Instant answeredAt, CallSecurity security, String callerDevice, UserId callerUser, UserId calleeUser,
        Hold hold) {

    /**
     * Who holds the call: a side holds when the audio direction it last settled on is {@code sendonly} or
     * {@code inactive} (RFC 3264 §8.4: a hold is an offer that stops receiving), as seen from that side's leg.
     */
    public enum Hold {
        NONE, CALLER, CALLEE, BOTH;

        /** The API's name: {@code caller}, {@code callee}, {@code both}, or {@code null} for none. */
        public String wireName() {
            return this == NONE ? null : name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Hold of(boolean caller, boolean callee) {
            return caller ? (callee ? BOTH : CALLER) : callee ? CALLEE : NONE;
        }
    }

    public CallView {
        hold = hold == null ? Hold.NONE : hold;
    }

    /** A call that nobody holds. */
    public CallView(String id, String callId, String caller, String callee, String answeredBy, Instant startedAt,
            Instant answeredAt, CallSecurity security, String callerDevice, UserId callerUser, UserId calleeUser) {
        this(id, callId, caller, callee, answeredBy, startedAt, answeredAt, security, callerDevice, callerUser,
                calleeUser, Hold.NONE);
    }

    public boolean held() {
        return hold != Hold.NONE;
    }

    public boolean answered() {
        return answeredAt != null;
    }

    /** Whether {@code user} is this call's caller or callee. */
    public boolean involves(UserId user) {
        return user.equals(callerUser) || user.equals(calleeUser);
    }
}
