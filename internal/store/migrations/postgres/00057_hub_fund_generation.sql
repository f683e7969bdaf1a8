-- +goose Up
-- Generation numbers for the hub's and the fund's pages (rows 'hub' and 'fund'
-- of the reference_generation table of migration 53). The web server keeps
-- what those pages are built from under them: 'hub' for the needs and offers
-- (with what their matches leave) and the organisations that post them; 'fund'
-- for the ledger, rounds, proposals, partners, published results and progress
-- updates and the organisations named in them (not the ballots: no page shows
-- a count while voting). Triggers bump the row in the transaction of every
-- write to those tables, so every node sees a change on its next request and
-- nothing is served stale.
INSERT INTO reference_generation (name, generation) VALUES ('hub', 1), ('fund', 1);
-- +goose StatementBegin
CREATE FUNCTION reference_generation_hub() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER hub_needs_hub_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_needs
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_hub();
CREATE TRIGGER hub_offers_hub_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_offers
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_hub();
CREATE TRIGGER hub_matches_hub_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_matches
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_hub();
CREATE TRIGGER organisations_hub_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_hub();
-- +goose StatementBegin
CREATE FUNCTION reference_generation_fund() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER fund_rounds_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_rounds
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();
CREATE TRIGGER fund_proposals_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_proposals
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();
CREATE TRIGGER fund_partners_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_partners
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();
CREATE TRIGGER fund_results_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_results
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();
CREATE TRIGGER fund_updates_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_updates
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();
CREATE TRIGGER fund_ledger_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();
CREATE TRIGGER organisations_fund_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_fund();

-- +goose Down
DROP TRIGGER organisations_fund_generation ON organisations;
DROP TRIGGER fund_ledger_fund_generation ON fund_ledger;
DROP TRIGGER fund_updates_fund_generation ON fund_updates;
DROP TRIGGER fund_results_fund_generation ON fund_results;
DROP TRIGGER fund_partners_fund_generation ON fund_partners;
DROP TRIGGER fund_proposals_fund_generation ON fund_proposals;
DROP TRIGGER fund_rounds_fund_generation ON fund_rounds;
DROP FUNCTION reference_generation_fund();
DROP TRIGGER organisations_hub_generation ON organisations;
DROP TRIGGER hub_matches_hub_generation ON hub_matches;
DROP TRIGGER hub_offers_hub_generation ON hub_offers;
DROP TRIGGER hub_needs_hub_generation ON hub_needs;
DROP FUNCTION reference_generation_hub();
DELETE FROM reference_generation WHERE name IN ('hub', 'fund');
