-- +goose Up
-- Lots (issue 17): a tender with lots is a container holding the
-- procurement-level facts (buyer, procedure, contract type, deadline,
-- documents, questions, the tender notice); each lot is a tender row whose
-- parent_id names its container and lot_number its place (1, 2, …), with its
-- own title, value, criteria and weights, bids, evaluation, award, standstill
-- and contract. parent_id is NULL for a tender without lots and for a
-- container; lot_number is 0 there.
ALTER TABLE tenders ADD COLUMN parent_id INTEGER REFERENCES tenders(id);
ALTER TABLE tenders ADD COLUMN lot_number INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX tenders_lot_number ON tenders (parent_id, lot_number) WHERE parent_id IS NOT NULL;

-- +goose Down
DROP INDEX tenders_lot_number;
ALTER TABLE tenders DROP COLUMN lot_number;
ALTER TABLE tenders DROP COLUMN parent_id;
