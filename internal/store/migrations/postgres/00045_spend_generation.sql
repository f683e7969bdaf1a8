-- +goose Up
-- A data generation number for the spend report: the web server keeps a
-- built report for a buyer, period and filters until this changes. Row 0
-- counts hub-wide changes that move every buyer's report (the register,
-- creditor lists, organisations and their sites, supplier matches); a
-- buyer's row counts its spend imports. Bumped in the transaction of the
-- change, so every node sees it; a request reads the sum of the two rows.
CREATE TABLE spend_generation (
    buyer_org_id BIGINT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO spend_generation (buyer_org_id, generation) VALUES (0, 1);
-- +goose StatementBegin
CREATE FUNCTION spend_generation_bump() RETURNS trigger AS $$
BEGIN
    UPDATE spend_generation SET generation = generation + 1 WHERE buyer_org_id = 0;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER organisations_spend_generation AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION spend_generation_bump();
CREATE TRIGGER sites_spend_generation AFTER INSERT OR UPDATE OR DELETE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION spend_generation_bump();

-- +goose Down
DROP TRIGGER sites_spend_generation ON sites;
DROP TRIGGER organisations_spend_generation ON organisations;
DROP FUNCTION spend_generation_bump();
DROP TABLE spend_generation;
