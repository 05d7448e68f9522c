-- Parley schema, version 6: personal API tokens (dev.parley.pbx.account.ApiTokenRepository) for scripts that call
-- /api with "Authorization: Bearer parley_...". Runs unchanged on SQLite and PostgreSQL.
--
-- token_hash: base64url SHA-256 of the token; the token itself is shown once and never stored, so reading this
-- table gives nothing that authenticates. id: the public handle for listing and revoking. Instants are epoch
-- milliseconds; expires_at and last_used are NULL for "never". A user's tokens go with the user.
CREATE TABLE api_tokens (
    id         TEXT ${binary} NOT NULL PRIMARY KEY,
    token_hash TEXT ${binary} NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used  BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
