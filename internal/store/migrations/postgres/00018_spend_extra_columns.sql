-- +goose Up
-- Payments now keep their unmapped columns as a JSON array of values; the
-- names, once per file, live here (a JSON array in the same order). Runs
-- imported before keep '' here and a JSON object per payment.
ALTER TABLE spend_runs ADD COLUMN extra_columns TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE spend_runs DROP COLUMN extra_columns;
