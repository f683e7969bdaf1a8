-- +goose Up
-- Imports de-duplicate against the payments already stored for the months
-- a file covers, found through (buyer_org_id, paid_on); the index on the
-- payment key was a random-order B-tree insert for every payment, the
-- largest single cost of importing millions of rows.
DROP INDEX spend_payments_key;

-- +goose Down
CREATE INDEX spend_payments_key ON spend_payments(buyer_org_id, payment_key);
