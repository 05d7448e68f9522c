-- Parley schema, version 4: web accounts. Runs unchanged on SQLite and PostgreSQL (one ADD COLUMN per statement).
--
-- role: what the user may do in the web application and the API (dev.parley.pbx.directory.Role):
-- 'superadmin', 'admin' or 'user'. Users that existed before roles are 'user', except the first-start account
-- ('admin' with a web password), which becomes the superadmin it was meant to be.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('superadmin', 'admin', 'user'));
UPDATE users SET role = 'superadmin' WHERE name = 'admin' AND id IN (SELECT user_id FROM web_passwords);

-- email: signs in like the user name; stored lower-cased by the application (User.normalizeEmail), NULL for none.
-- Unique where present (both databases allow several NULLs in a UNIQUE index).
ALTER TABLE users ADD COLUMN email TEXT ${binary};
CREATE UNIQUE INDEX users_email ON users (email);
