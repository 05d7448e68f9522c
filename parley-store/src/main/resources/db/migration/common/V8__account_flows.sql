-- Parley schema, version 8: account flows (dev.parley.pbx.account.AccountFlowRepository). Runs unchanged on SQLite
-- and PostgreSQL.
--
-- account_tokens: the single-use tokens mailed for sign-up confirmation, password reset and email change.
-- token_hash: base64url SHA-256 of the token; the token itself is only in the mail, so reading this table gives no
-- working link. purpose: 'signup', 'password-reset' or 'email-change'. user_id: NULL for a sign-up (the user does not
-- exist until the link is followed); a user's tokens go with the user. username, display_name and password_hash
-- (Argon2id PHC) hold a sign-up's request; email the sign-up's address or the new address of an email change.
-- Instants are epoch milliseconds.
CREATE TABLE account_tokens (
    token_hash    TEXT ${binary} NOT NULL PRIMARY KEY,
    purpose       TEXT NOT NULL CHECK (purpose IN ('signup', 'password-reset', 'email-change')),
    user_id       TEXT REFERENCES users (id) ON DELETE CASCADE,
    username      TEXT,
    display_name  TEXT,
    email         TEXT,
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);

-- server_settings: switches an admin turns in the web application, one row each ('signup': 'true' or 'false').
-- A switch without a row has its default (sign-up: off).
CREATE TABLE server_settings (
    name  TEXT ${binary} NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
