-- Parley schema, version 9: TOTP second factor (dev.parley.pbx.account.TotpRepository). Runs unchanged on SQLite and
-- PostgreSQL.
--
-- totp: one row per user who enrolled. secret_ciphertext: SecretCipher output for the context
-- 'totp:<user id>:secret' (the server must compute codes from the secret, so it is encrypted, not hashed; the key is
-- outside the database). confirmed: 0 while enrolling, 1 once a code of it was typed. last_step: the last RFC 6238
-- time step accepted (a code is never accepted twice), NULL for none.
-- totp_recovery_codes: base64url SHA-256 of each unused recovery code; a used one is deleted.
-- A user's rows go with the user.
CREATE TABLE totp (
    user_id           TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_ciphertext TEXT NOT NULL,
    confirmed         INTEGER NOT NULL,
    last_step         BIGINT
);

CREATE TABLE totp_recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT ${binary} NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
