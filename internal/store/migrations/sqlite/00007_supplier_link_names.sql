-- +goose Up
-- The payee as written when the decision was made, to show people.
ALTER TABLE supplier_links ADD COLUMN supplier_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE supplier_links DROP COLUMN supplier_name;
