-- +goose Up
-- A data generation number for the spend report: the web server keeps a
-- built report for a buyer, period and filters until this changes. Row 0
-- counts hub-wide changes that move every buyer's report (the register,
-- creditor lists, organisations and their sites, supplier matches); a
-- buyer's row counts its spend imports. Bumped in the transaction of the
-- change, so every node sees it; a request reads the sum of the two rows.
CREATE TABLE spend_generation (
    buyer_org_id INTEGER PRIMARY KEY,
    generation INTEGER NOT NULL
);
INSERT INTO spend_generation (buyer_org_id, generation) VALUES (0, 1);
-- +goose StatementBegin
CREATE TRIGGER organisations_spend_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_spend_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_spend_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_spend_generation_insert AFTER INSERT ON sites
BEGIN UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_spend_generation_update AFTER UPDATE ON sites
BEGIN UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_spend_generation_delete AFTER DELETE ON sites
BEGIN UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sites_spend_generation_delete;
DROP TRIGGER sites_spend_generation_update;
DROP TRIGGER sites_spend_generation_insert;
DROP TRIGGER organisations_spend_generation_delete;
DROP TRIGGER organisations_spend_generation_update;
DROP TRIGGER organisations_spend_generation_insert;
DROP TABLE spend_generation;
