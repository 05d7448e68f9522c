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
     * @param state {@code ringing}, {@code answered} or {@code ended}
     * @param outcome how it ended for this user; null unless {@code state} is {@code ended}
     */
    record Call(String id, String state, CallDirection direction, String from, String fromName, String to,
            String toName, CallOutcome outcome) implements PbxEvent {
    }

    /** An extension's presence changed (sent to every subscriber). */
    record PresenceChanged(String extension, Presence presence) implements PbxEvent {
    }

    /** The user's settings changed; {@code settings} is the settings value as the settings service holds it. */
    record SettingsChanged(Object settings) implements PbxEvent {
    }
}
