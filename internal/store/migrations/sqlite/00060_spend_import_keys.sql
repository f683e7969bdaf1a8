-- +goose Up
-- Nothing changes on SQLite (PostgreSQL's migration 60 drops foreign keys
-- and compares months and payees as bytes). Measured on a 1-million-row
-- import (issue 16 part 5): SQLite's foreign key checks cost about 2% of
-- the import's CPU, and clustering the rollups and totals on
-- (buyer, month, run, seq) as WITHOUT ROWID tables, one B-tree a row
-- instead of two, cost 5% more (each insert first seeks its key to check
-- it is unique), so both stay as they are.
SELECT 1;

-- +goose Down
SELECT 1;
