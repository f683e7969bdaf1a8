-- +goose Up
-- A job that must be queued once however many nodes ask for it (the daily
-- export of the signed audit head: 'audit.head:2026-12-07') carries a key;
-- the unique index makes a second node's insert of the same key a no-op.
-- Other jobs keep NULL, and NULLs never collide.
ALTER TABLE jobs ADD COLUMN once_key TEXT;
CREATE UNIQUE INDEX jobs_once_key ON jobs(once_key);

-- +goose Down
DROP INDEX jobs_once_key;
ALTER TABLE jobs DROP COLUMN once_key;
