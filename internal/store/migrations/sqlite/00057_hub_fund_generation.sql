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
CREATE TRIGGER hub_needs_hub_generation_insert AFTER INSERT ON hub_needs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_needs_hub_generation_update AFTER UPDATE ON hub_needs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_needs_hub_generation_delete AFTER DELETE ON hub_needs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_hub_generation_insert AFTER INSERT ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_hub_generation_update AFTER UPDATE ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_hub_generation_delete AFTER DELETE ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_hub_generation_insert AFTER INSERT ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_hub_generation_update AFTER UPDATE ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_hub_generation_delete AFTER DELETE ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_hub_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_hub_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_hub_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'hub'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_rounds_fund_generation_insert AFTER INSERT ON fund_rounds
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_rounds_fund_generation_update AFTER UPDATE ON fund_rounds
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_rounds_fund_generation_delete AFTER DELETE ON fund_rounds
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_proposals_fund_generation_insert AFTER INSERT ON fund_proposals
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_proposals_fund_generation_update AFTER UPDATE ON fund_proposals
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_proposals_fund_generation_delete AFTER DELETE ON fund_proposals
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_partners_fund_generation_insert AFTER INSERT ON fund_partners
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_partners_fund_generation_update AFTER UPDATE ON fund_partners
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_partners_fund_generation_delete AFTER DELETE ON fund_partners
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_results_fund_generation_insert AFTER INSERT ON fund_results
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_results_fund_generation_update AFTER UPDATE ON fund_results
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_results_fund_generation_delete AFTER DELETE ON fund_results
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_updates_fund_generation_insert AFTER INSERT ON fund_updates
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_updates_fund_generation_update AFTER UPDATE ON fund_updates
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_updates_fund_generation_delete AFTER DELETE ON fund_updates
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_ledger_fund_generation_insert AFTER INSERT ON fund_ledger
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_ledger_fund_generation_update AFTER UPDATE ON fund_ledger
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_ledger_fund_generation_delete AFTER DELETE ON fund_ledger
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_fund_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_fund_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_fund_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'fund'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER organisations_fund_generation_delete;
DROP TRIGGER organisations_fund_generation_update;
DROP TRIGGER organisations_fund_generation_insert;
DROP TRIGGER fund_ledger_fund_generation_delete;
DROP TRIGGER fund_ledger_fund_generation_update;
DROP TRIGGER fund_ledger_fund_generation_insert;
DROP TRIGGER fund_updates_fund_generation_delete;
DROP TRIGGER fund_updates_fund_generation_update;
DROP TRIGGER fund_updates_fund_generation_insert;
DROP TRIGGER fund_results_fund_generation_delete;
DROP TRIGGER fund_results_fund_generation_update;
DROP TRIGGER fund_results_fund_generation_insert;
DROP TRIGGER fund_partners_fund_generation_delete;
DROP TRIGGER fund_partners_fund_generation_update;
DROP TRIGGER fund_partners_fund_generation_insert;
DROP TRIGGER fund_proposals_fund_generation_delete;
DROP TRIGGER fund_proposals_fund_generation_update;
DROP TRIGGER fund_proposals_fund_generation_insert;
DROP TRIGGER fund_rounds_fund_generation_delete;
DROP TRIGGER fund_rounds_fund_generation_update;
DROP TRIGGER fund_rounds_fund_generation_insert;
DROP TRIGGER organisations_hub_generation_delete;
DROP TRIGGER organisations_hub_generation_update;
DROP TRIGGER organisations_hub_generation_insert;
DROP TRIGGER hub_matches_hub_generation_delete;
DROP TRIGGER hub_matches_hub_generation_update;
DROP TRIGGER hub_matches_hub_generation_insert;
DROP TRIGGER hub_offers_hub_generation_delete;
DROP TRIGGER hub_offers_hub_generation_update;
DROP TRIGGER hub_offers_hub_generation_insert;
DROP TRIGGER hub_needs_hub_generation_delete;
DROP TRIGGER hub_needs_hub_generation_update;
DROP TRIGGER hub_needs_hub_generation_insert;
DELETE FROM reference_generation WHERE name IN ('hub', 'fund');
