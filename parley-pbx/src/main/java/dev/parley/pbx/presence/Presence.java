package dev.parley.pbx.presence;

import java.util.Locale;

/** What a contact list shows next to an extension. */
public enum Presence {
    /** A device of the extension's user is registered and the user is on no call. */
    ONLINE,
    /** The user placed a call that is in progress, or is in an answered call. */
    BUSY,
    /** Registered, but do-not-disturb is on: calls to the user are refused. */
    DND,
    /** No device of the user is registered. */
    OFFLINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
