-- +goose Up
-- Nothing to do on PostgreSQL: on SQLite this migration makes the rollups
-- WITHOUT ROWID tables (one B-tree per table instead of two).
SELECT 1;

-- +goose Down
SELECT 1;
