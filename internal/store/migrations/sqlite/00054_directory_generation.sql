-- +goose Up
-- A generation number for the organisation directory (the reference_generation
-- table of migration 53, row 'directory'). The web server keeps the directory's
-- pages of results, organisation profiles and kite marks under it: the
-- organisations with their sites, accreditations (and verified documents), the
-- accrediting bodies, the district names, the pledge, its reports and text, the
-- champions, and the facts the kite mark rules read (a supplier's verified
-- delivery: contracts, commitments, delivery lines; brokerage delivered: offers,
-- matches). Triggers bump the row in the transaction of every write to those
-- tables, so every node sees a change on its next request and nothing is served
-- stale.
INSERT INTO reference_generation (name, generation) VALUES ('directory', 1);
-- +goose StatementBegin
CREATE TRIGGER organisations_directory_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_directory_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_directory_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_directory_generation_insert AFTER INSERT ON sites
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_directory_generation_update AFTER UPDATE ON sites
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_directory_generation_delete AFTER DELETE ON sites
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accreditations_directory_generation_insert AFTER INSERT ON accreditations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accreditations_directory_generation_update AFTER UPDATE ON accreditations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accreditations_directory_generation_delete AFTER DELETE ON accreditations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accreditation_files_directory_generation_insert AFTER INSERT ON accreditation_files
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accreditation_files_directory_generation_update AFTER UPDATE ON accreditation_files
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accreditation_files_directory_generation_delete AFTER DELETE ON accreditation_files
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accrediting_bodies_directory_generation_insert AFTER INSERT ON accrediting_bodies
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accrediting_bodies_directory_generation_update AFTER UPDATE ON accrediting_bodies
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accrediting_bodies_directory_generation_delete AFTER DELETE ON accrediting_bodies
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_directory_generation_insert AFTER INSERT ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_directory_generation_update AFTER UPDATE ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_directory_generation_delete AFTER DELETE ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledges_directory_generation_insert AFTER INSERT ON pledges
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledges_directory_generation_update AFTER UPDATE ON pledges
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledges_directory_generation_delete AFTER DELETE ON pledges
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_reports_directory_generation_insert AFTER INSERT ON pledge_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_reports_directory_generation_update AFTER UPDATE ON pledge_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_reports_directory_generation_delete AFTER DELETE ON pledge_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_versions_directory_generation_insert AFTER INSERT ON pledge_versions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_versions_directory_generation_update AFTER UPDATE ON pledge_versions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_versions_directory_generation_delete AFTER DELETE ON pledge_versions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER champions_directory_generation_insert AFTER INSERT ON champions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER champions_directory_generation_update AFTER UPDATE ON champions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER champions_directory_generation_delete AFTER DELETE ON champions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_directory_generation_insert AFTER INSERT ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_directory_generation_update AFTER UPDATE ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_directory_generation_delete AFTER DELETE ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_directory_generation_insert AFTER INSERT ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_directory_generation_update AFTER UPDATE ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_directory_generation_delete AFTER DELETE ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_directory_generation_insert AFTER INSERT ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_directory_generation_update AFTER UPDATE ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_directory_generation_delete AFTER DELETE ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_directory_generation_insert AFTER INSERT ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_directory_generation_update AFTER UPDATE ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_directory_generation_delete AFTER DELETE ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_directory_generation_insert AFTER INSERT ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_directory_generation_update AFTER UPDATE ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_directory_generation_delete AFTER DELETE ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER hub_matches_directory_generation_delete;
DROP TRIGGER hub_matches_directory_generation_update;
DROP TRIGGER hub_matches_directory_generation_insert;
DROP TRIGGER hub_offers_directory_generation_delete;
DROP TRIGGER hub_offers_directory_generation_update;
DROP TRIGGER hub_offers_directory_generation_insert;
DROP TRIGGER delivery_lines_directory_generation_delete;
DROP TRIGGER delivery_lines_directory_generation_update;
DROP TRIGGER delivery_lines_directory_generation_insert;
DROP TRIGGER commitments_directory_generation_delete;
DROP TRIGGER commitments_directory_generation_update;
DROP TRIGGER commitments_directory_generation_insert;
DROP TRIGGER contracts_directory_generation_delete;
DROP TRIGGER contracts_directory_generation_update;
DROP TRIGGER contracts_directory_generation_insert;
DROP TRIGGER champions_directory_generation_delete;
DROP TRIGGER champions_directory_generation_update;
DROP TRIGGER champions_directory_generation_insert;
DROP TRIGGER pledge_versions_directory_generation_delete;
DROP TRIGGER pledge_versions_directory_generation_update;
DROP TRIGGER pledge_versions_directory_generation_insert;
DROP TRIGGER pledge_reports_directory_generation_delete;
DROP TRIGGER pledge_reports_directory_generation_update;
DROP TRIGGER pledge_reports_directory_generation_insert;
DROP TRIGGER pledges_directory_generation_delete;
DROP TRIGGER pledges_directory_generation_update;
DROP TRIGGER pledges_directory_generation_insert;
DROP TRIGGER geo_districts_directory_generation_delete;
DROP TRIGGER geo_districts_directory_generation_update;
DROP TRIGGER geo_districts_directory_generation_insert;
DROP TRIGGER accrediting_bodies_directory_generation_delete;
DROP TRIGGER accrediting_bodies_directory_generation_update;
DROP TRIGGER accrediting_bodies_directory_generation_insert;
DROP TRIGGER accreditation_files_directory_generation_delete;
DROP TRIGGER accreditation_files_directory_generation_update;
DROP TRIGGER accreditation_files_directory_generation_insert;
DROP TRIGGER accreditations_directory_generation_delete;
DROP TRIGGER accreditations_directory_generation_update;
DROP TRIGGER accreditations_directory_generation_insert;
DROP TRIGGER sites_directory_generation_delete;
DROP TRIGGER sites_directory_generation_update;
DROP TRIGGER sites_directory_generation_insert;
DROP TRIGGER organisations_directory_generation_delete;
DROP TRIGGER organisations_directory_generation_update;
DROP TRIGGER organisations_directory_generation_insert;
DELETE FROM reference_generation WHERE name = 'directory';
