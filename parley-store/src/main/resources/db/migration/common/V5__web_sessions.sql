-- Parley schema, version 5: web sessions on the server (dev.parley.pbx.account.WebSessionRepository), so they
-- survive a restart and every node on one database knows them. Runs unchanged on SQLite and PostgreSQL.
--
-- id_hash: base64url SHA-256 of the cookie's session id; the id itself is never stored, so reading this table
-- does not give cookies that sign in. csrf_token: the session's CSRF token (worthless without the cookie).
-- Instants are epoch milliseconds. A user's sessions go with the user.
CREATE TABLE web_sessions (
    id_hash    TEXT ${binary} NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_last_seen ON web_sessions (last_seen);
