-- Parley schema, version 3 (version 2 is the media work's). Runs unchanged on SQLite and PostgreSQL.
--
-- directory_version: one row whose version every write to users, extensions or devices increments in its own
-- transaction (dev.parley.store repositories do it), so a server that keeps the directory in memory sees a change
-- made by the CLI or by another node with one cheap read (dev.parley.pbx.directory.DirectoryVersion).
CREATE TABLE directory_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 0);
