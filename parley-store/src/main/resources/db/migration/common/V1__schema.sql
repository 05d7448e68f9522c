-- Parley schema, version 1. Runs unchanged on SQLite and PostgreSQL.
--
-- Conventions (see dev.parley.store.package-info):
--   * instants are epoch milliseconds in BIGINT columns;
--   * ${binary} is COLLATE BINARY on SQLite and COLLATE "C" on PostgreSQL: names that are sorted or compared
--     order by code point, as the in-memory repositories do, whatever the server's locale;
--   * foreign keys restrict: a user's extensions and devices are removed by the caller before the user
--     (UserRepository.delete says so), except the web password hash, which belongs to the user alone.

CREATE TABLE users (
    id           TEXT NOT NULL PRIMARY KEY,
    name         TEXT ${binary} NOT NULL UNIQUE,
    display_name TEXT NOT NULL
);

CREATE TABLE extensions (
    number   TEXT ${binary} NOT NULL PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX extensions_owner ON extensions (owner_id);

-- secret_ciphertext: SecretCipher output for the context 'device:<id>:secret'; never the secret itself.
CREATE TABLE devices (
    id                TEXT NOT NULL PRIMARY KEY,
    owner_id          TEXT NOT NULL REFERENCES users (id),
    sip_username      TEXT ${binary} NOT NULL UNIQUE,
    secret_ciphertext TEXT NOT NULL,
    label             TEXT NOT NULL
);
CREATE INDEX devices_owner ON devices (owner_id);

-- One row per registered contact. The primary key (aor, contact) is also the index by AOR. device_id is not a
-- foreign key: a binding is runtime state that the registrar expires, and it must not stop a device's deletion.
-- path: the Path header values in order, written as one comma-separated Path header value (RFC 3327), or NULL.
CREATE TABLE bindings (
    aor                TEXT ${binary} NOT NULL,
    contact            TEXT NOT NULL,
    call_id            TEXT NOT NULL,
    cseq               BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    path               TEXT,
    received_transport TEXT NOT NULL,
    received_remote    TEXT NOT NULL,
    received_local     TEXT NOT NULL,
    received_flow_id   TEXT NOT NULL,
    device_id          TEXT NOT NULL,
    user_agent         TEXT,
    PRIMARY KEY (aor, contact)
);
CREATE INDEX bindings_expires_at ON bindings (expires_at);

CREATE TABLE call_records (
    id          TEXT NOT NULL PRIMARY KEY,
    call_id     TEXT NOT NULL,
    caller      TEXT NOT NULL,
    callee      TEXT NOT NULL,
    answered_by TEXT,
    started_at  BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at    BIGINT NOT NULL,
    status      INTEGER NOT NULL,
    cause       TEXT NOT NULL
);
CREATE INDEX call_records_ended_at ON call_records (ended_at);

-- phc: the PHC string of the web login password hash (Argon2id), computed by the server.
CREATE TABLE web_passwords (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    phc     TEXT NOT NULL
);
