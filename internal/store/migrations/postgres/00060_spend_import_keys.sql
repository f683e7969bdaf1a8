-- +goose Up
-- What a spend import costs the server besides its rows (perf of a
-- 1-million-row import, issue 16 part 5): a query per row for each
-- foreign key, and text comparisons under the database's collation in
-- every index on month.
--
-- As for the rollups and blocks (migrations 17 and 19), the month and
-- service totals and the filter choices are written only by the import,
-- in the transaction of their run, whose buyer's key is checked, and
-- organisations are never deleted: their foreign keys go.
ALTER TABLE spend_month_totals DROP CONSTRAINT spend_month_totals_buyer_org_id_fkey;
ALTER TABLE spend_service_totals DROP CONSTRAINT spend_service_totals_buyer_org_id_fkey;
ALTER TABLE spend_choices DROP CONSTRAINT spend_choices_buyer_org_id_fkey;
-- Months are 'YYYY-MM', which sort the same under every collation: under
-- "C" the indexes on them compare bytes instead of calling the locale.
-- So does a block's payee, which queries only compare for equality (as
-- every deterministic collation does, byte for byte) and never sort by.
-- A node left running while this migrates has each query it prepared that
-- returns these columns refused once per connection ("cached plan must
-- not change result type"; pgx then prepares it again): migrate before
-- starting nodes, as for any change of a column's type.
ALTER TABLE spend_blocks ALTER COLUMN month TYPE TEXT COLLATE "C", ALTER COLUMN supplier_name TYPE TEXT COLLATE "C";
ALTER TABLE spend_rollup ALTER COLUMN month TYPE TEXT COLLATE "C";
ALTER TABLE spend_rollup_supplier ALTER COLUMN month TYPE TEXT COLLATE "C";
ALTER TABLE spend_month_totals ALTER COLUMN month TYPE TEXT COLLATE "C";
ALTER TABLE spend_service_totals ALTER COLUMN month TYPE TEXT COLLATE "C";

-- +goose Down
ALTER TABLE spend_service_totals ALTER COLUMN month TYPE TEXT COLLATE "default";
ALTER TABLE spend_month_totals ALTER COLUMN month TYPE TEXT COLLATE "default";
ALTER TABLE spend_rollup_supplier ALTER COLUMN month TYPE TEXT COLLATE "default";
ALTER TABLE spend_rollup ALTER COLUMN month TYPE TEXT COLLATE "default";
ALTER TABLE spend_blocks ALTER COLUMN month TYPE TEXT COLLATE "default", ALTER COLUMN supplier_name TYPE TEXT COLLATE "default";
ALTER TABLE spend_choices ADD CONSTRAINT spend_choices_buyer_org_id_fkey FOREIGN KEY (buyer_org_id) REFERENCES organisations(id);
ALTER TABLE spend_service_totals ADD CONSTRAINT spend_service_totals_buyer_org_id_fkey FOREIGN KEY (buyer_org_id) REFERENCES organisations(id);
ALTER TABLE spend_month_totals ADD CONSTRAINT spend_month_totals_buyer_org_id_fkey FOREIGN KEY (buyer_org_id) REFERENCES organisations(id);
