-- +goose Up
-- Imports de-duplicate against the payments already stored for the months
-- a file covers, found through (buyer_org_id, paid_on); the index on the
-- payment key was a random-order B-tree insert for every payment, the
-- largest single cost of importing millions of rows.
DROP INDEX spend_payments_key;
-- PostgreSQL checks a foreign key with a query per inserted row, a third
-- of the server's time in a bulk import. Payments and rollup rows are
-- written only by the import, in the transaction that inserts their run
-- (whose own keys are checked) for that run's buyer; organisations and
-- runs are never deleted. TestSpendImportLargeFileRollupsAndIntegrity checks
-- the invariant on both engines. (SQLite's checks cost next to nothing and
-- stay.)
ALTER TABLE spend_payments DROP CONSTRAINT spend_payments_buyer_org_id_fkey, DROP CONSTRAINT spend_payments_run_id_fkey;
ALTER TABLE spend_rollup DROP CONSTRAINT spend_rollup_buyer_org_id_fkey;
ALTER TABLE spend_rollup_supplier DROP CONSTRAINT spend_rollup_supplier_buyer_org_id_fkey;

-- +goose Down
ALTER TABLE spend_rollup_supplier ADD CONSTRAINT spend_rollup_supplier_buyer_org_id_fkey FOREIGN KEY (buyer_org_id) REFERENCES organisations(id);
ALTER TABLE spend_rollup ADD CONSTRAINT spend_rollup_buyer_org_id_fkey FOREIGN KEY (buyer_org_id) REFERENCES organisations(id);
ALTER TABLE spend_payments ADD CONSTRAINT spend_payments_buyer_org_id_fkey FOREIGN KEY (buyer_org_id) REFERENCES organisations(id),
    ADD CONSTRAINT spend_payments_run_id_fkey FOREIGN KEY (run_id) REFERENCES spend_runs(id);
CREATE INDEX spend_payments_key ON spend_payments(buyer_org_id, payment_key);
