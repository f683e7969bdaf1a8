-- +goose Up
-- A buyer's distinct service areas and expense categories, the choices
-- of the spend pages' filters: kept by each import in its transaction, so
-- a page no longer scans the whole rollup for them (two SELECT DISTINCT
-- had cost 2 s a request at five million payments).
CREATE TABLE spend_choices (
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    field TEXT NOT NULL CHECK (field IN ('service', 'expense_type')),
    value TEXT NOT NULL CHECK (value <> ''),
    PRIMARY KEY (buyer_org_id, field, value)
) WITHOUT ROWID;
INSERT INTO spend_choices (buyer_org_id, field, value)
SELECT DISTINCT buyer_org_id, 'service', service FROM spend_rollup WHERE service <> '';
INSERT INTO spend_choices (buyer_org_id, field, value)
SELECT DISTINCT buyer_org_id, 'expense_type', expense_type FROM spend_rollup WHERE expense_type <> '';

-- +goose Down
DROP TABLE spend_choices;
