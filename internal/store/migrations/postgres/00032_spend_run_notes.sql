-- +goose Up
-- What an import did to the values as written: amounts past the penny it
-- rounded, and rows dated by a month or quarter instead of a day (placed on
-- the period's last day), with the periods and their row counts as a JSON
-- object; the worksheet read from a workbook. columns now holds, per role,
-- the column chosen, its header, its score, why and the runner-up (JSON);
-- runs imported before hold field → header.
ALTER TABLE spend_runs ADD COLUMN rounded_amounts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spend_runs ADD COLUMN period_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spend_runs ADD COLUMN periods TEXT NOT NULL DEFAULT '';
ALTER TABLE spend_runs ADD COLUMN sheet TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE spend_runs DROP COLUMN sheet;
ALTER TABLE spend_runs DROP COLUMN periods;
ALTER TABLE spend_runs DROP COLUMN period_rows;
ALTER TABLE spend_runs DROP COLUMN rounded_amounts;
