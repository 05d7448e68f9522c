-- Parley schema, version 7: per-user settings the PBX enforces (dev.parley.pbx.settings.UserSettingsRepository)
-- and personal contacts with pictures (dev.parley.pbx.contacts.ContactRepository). Runs unchanged on SQLite and
-- PostgreSQL (${blob} is BLOB or BYTEA).
--
-- user_settings: one row per user who saved settings (none: the defaults). Flags are INTEGER 0/1 like
-- call_records.encrypted_all_legs; device ids are the browser's opaque MediaDeviceInfo.deviceId (NULL: default).
-- contacts: phone_numbers is the numbers joined by a line feed (a number cannot contain one); picture holds the
-- uploaded bytes (at most 256 KiB, checked before they get here) and picture_type the type their magic bytes
-- showed (NULL: no picture). A user's rows go with the user.
CREATE TABLE user_settings (
    user_id        TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    do_not_disturb INTEGER NOT NULL,
    call_waiting   INTEGER NOT NULL,
    auto_answer    INTEGER NOT NULL,
    microphone     TEXT,
    speaker        TEXT,
    ringer         TEXT,
    camera         TEXT
);

CREATE TABLE contacts (
    id            TEXT ${binary} NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name  TEXT ${binary} NOT NULL,
    extension     TEXT,
    phone_numbers TEXT NOT NULL,
    email         TEXT,
    picture_type  TEXT,
    picture       ${blob}
);
CREATE INDEX contacts_user ON contacts (user_id, display_name);
