package dev.parley.pbx.presence;

import dev.parley.pbx.cdr.CallDirection;
import dev.parley.pbx.cdr.CallOutcome;

/** What the live event stream sends a user. */
public sealed interface PbxEvent {

    /** Why a stream ended on the PBX's side. */
    enum End { SERVER_STOPPING, TOO_SLOW }

    /**
     * A call of the user rang, was answered or ended.
     *
     * @param state {@code ringing}, {@code answered}, {@code held} or {@code ended} (answered again on resume)
     * @param outcome how it ended for this user; null unless {@code state} is {@code ended}
     * @param heldBy {@code caller}, {@code callee} or {@code both} while {@code state} is {@code held}, else null
     */
    record Call(String id, String state, CallDirection direction, String from, String fromName, String to,
            String toName, CallOutcome outcome, String heldBy) implements PbxEvent {
        /** An event of a call nobody holds. */
        public Call(String id, String state, CallDirection direction, String from, String fromName, String to,
                String toName, CallOutcome outcome) {
            this(id, state, direction, from, fromName, to, toName, outcome, null);
        }
    }

    /** An extension's presence changed (sent to every subscriber). */
    record PresenceChanged(String extension, Presence presence) implements PbxEvent {
    }

    /** The user's settings changed; {@code settings} is the settings value as the settings service holds it. */
    record SettingsChanged(Object settings) implements PbxEvent {
    }
}
