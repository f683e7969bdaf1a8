-- +goose Up
-- Generation numbers (rows of the reference_generation table of migration 53)
-- for the open data the web server rebuilds on every request otherwise:
-- 'ocds' guards what the OCDS release package (/ocds.json) is built from --
-- published tenders and their lots, bids (only who bid and how many), awards,
-- contracts, commitments with their measures, outcomes, priorities and unit
-- values (proxy links, unit costs, sources and values), Procurement Act
-- notices, KPIs and their assessments, residents' concerns on delivery
-- reports, and the organisations named with their sites; 'network' guards the
-- anchors network (/network, /network.json) -- organisations and their sites,
-- contracts and the priorities of their commitments, brokerage matches with
-- their needs and offers, fund proposals and partners, memberships and
-- declared relationships. Area names come from the 'geography' row. Triggers
-- raise the numbers in the transaction of every write to those tables, so
-- every node sees a change on its next request and nothing is served stale.
-- The numbers only ever go up, so a sum of them changes whenever one does.
INSERT INTO reference_generation (name, generation) VALUES ('ocds', 1), ('network', 1);
-- +goose StatementBegin
CREATE TRIGGER tenders_opendata_generation_insert AFTER INSERT ON tenders
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenders_opendata_generation_update AFTER UPDATE ON tenders
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenders_opendata_generation_delete AFTER DELETE ON tenders
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_opendata_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_opendata_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_opendata_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_opendata_generation_insert AFTER INSERT ON sites
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_opendata_generation_update AFTER UPDATE ON sites
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sites_opendata_generation_delete AFTER DELETE ON sites
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER bids_opendata_generation_insert AFTER INSERT ON bids
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER bids_opendata_generation_update AFTER UPDATE ON bids
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER bids_opendata_generation_delete AFTER DELETE ON bids
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_opendata_generation_insert AFTER INSERT ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_opendata_generation_update AFTER UPDATE ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_opendata_generation_delete AFTER DELETE ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER awards_opendata_generation_insert AFTER INSERT ON awards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER awards_opendata_generation_update AFTER UPDATE ON awards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER awards_opendata_generation_delete AFTER DELETE ON awards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_opendata_generation_insert AFTER INSERT ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_opendata_generation_update AFTER UPDATE ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_opendata_generation_delete AFTER DELETE ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_opendata_generation_insert AFTER INSERT ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_opendata_generation_update AFTER UPDATE ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_opendata_generation_delete AFTER DELETE ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_opendata_generation_insert AFTER INSERT ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_opendata_generation_update AFTER UPDATE ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_opendata_generation_delete AFTER DELETE ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_opendata_generation_insert AFTER INSERT ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_opendata_generation_update AFTER UPDATE ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_opendata_generation_delete AFTER DELETE ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_opendata_generation_insert AFTER INSERT ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_opendata_generation_update AFTER UPDATE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_opendata_generation_delete AFTER DELETE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_opendata_generation_insert AFTER INSERT ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_opendata_generation_update AFTER UPDATE ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_opendata_generation_delete AFTER DELETE ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_opendata_generation_insert AFTER INSERT ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_opendata_generation_update AFTER UPDATE ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_opendata_generation_delete AFTER DELETE ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_opendata_generation_insert AFTER INSERT ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_opendata_generation_update AFTER UPDATE ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_opendata_generation_delete AFTER DELETE ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_opendata_generation_insert AFTER INSERT ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_opendata_generation_update AFTER UPDATE ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_opendata_generation_delete AFTER DELETE ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contract_kpis_opendata_generation_insert AFTER INSERT ON contract_kpis
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contract_kpis_opendata_generation_update AFTER UPDATE ON contract_kpis
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contract_kpis_opendata_generation_delete AFTER DELETE ON contract_kpis
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER kpi_assessments_opendata_generation_insert AFTER INSERT ON kpi_assessments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER kpi_assessments_opendata_generation_update AFTER UPDATE ON kpi_assessments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER kpi_assessments_opendata_generation_delete AFTER DELETE ON kpi_assessments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_concerns_opendata_generation_insert AFTER INSERT ON delivery_concerns
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_concerns_opendata_generation_update AFTER UPDATE ON delivery_concerns
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_concerns_opendata_generation_delete AFTER DELETE ON delivery_concerns
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_opendata_generation_insert AFTER INSERT ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_opendata_generation_update AFTER UPDATE ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_opendata_generation_delete AFTER DELETE ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_reports_opendata_generation_insert AFTER INSERT ON delivery_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_reports_opendata_generation_update AFTER UPDATE ON delivery_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_reports_opendata_generation_delete AFTER DELETE ON delivery_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_opendata_generation_insert AFTER INSERT ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_opendata_generation_update AFTER UPDATE ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_matches_opendata_generation_delete AFTER DELETE ON hub_matches
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_needs_opendata_generation_insert AFTER INSERT ON hub_needs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_needs_opendata_generation_update AFTER UPDATE ON hub_needs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_needs_opendata_generation_delete AFTER DELETE ON hub_needs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_opendata_generation_insert AFTER INSERT ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_opendata_generation_update AFTER UPDATE ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hub_offers_opendata_generation_delete AFTER DELETE ON hub_offers
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_partners_opendata_generation_insert AFTER INSERT ON fund_partners
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_partners_opendata_generation_update AFTER UPDATE ON fund_partners
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_partners_opendata_generation_delete AFTER DELETE ON fund_partners
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_proposals_opendata_generation_insert AFTER INSERT ON fund_proposals
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_proposals_opendata_generation_update AFTER UPDATE ON fund_proposals
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER fund_proposals_opendata_generation_delete AFTER DELETE ON fund_proposals
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_opendata_generation_insert AFTER INSERT ON memberships
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_opendata_generation_update AFTER UPDATE ON memberships
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_opendata_generation_delete AFTER DELETE ON memberships
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_relationships_opendata_generation_insert AFTER INSERT ON org_relationships
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_relationships_opendata_generation_update AFTER UPDATE ON org_relationships
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER org_relationships_opendata_generation_delete AFTER DELETE ON org_relationships
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER org_relationships_opendata_generation_delete;
DROP TRIGGER org_relationships_opendata_generation_update;
DROP TRIGGER org_relationships_opendata_generation_insert;
DROP TRIGGER memberships_opendata_generation_delete;
DROP TRIGGER memberships_opendata_generation_update;
DROP TRIGGER memberships_opendata_generation_insert;
DROP TRIGGER fund_proposals_opendata_generation_delete;
DROP TRIGGER fund_proposals_opendata_generation_update;
DROP TRIGGER fund_proposals_opendata_generation_insert;
DROP TRIGGER fund_partners_opendata_generation_delete;
DROP TRIGGER fund_partners_opendata_generation_update;
DROP TRIGGER fund_partners_opendata_generation_insert;
DROP TRIGGER hub_offers_opendata_generation_delete;
DROP TRIGGER hub_offers_opendata_generation_update;
DROP TRIGGER hub_offers_opendata_generation_insert;
DROP TRIGGER hub_needs_opendata_generation_delete;
DROP TRIGGER hub_needs_opendata_generation_update;
DROP TRIGGER hub_needs_opendata_generation_insert;
DROP TRIGGER hub_matches_opendata_generation_delete;
DROP TRIGGER hub_matches_opendata_generation_update;
DROP TRIGGER hub_matches_opendata_generation_insert;
DROP TRIGGER delivery_reports_opendata_generation_delete;
DROP TRIGGER delivery_reports_opendata_generation_update;
DROP TRIGGER delivery_reports_opendata_generation_insert;
DROP TRIGGER delivery_lines_opendata_generation_delete;
DROP TRIGGER delivery_lines_opendata_generation_update;
DROP TRIGGER delivery_lines_opendata_generation_insert;
DROP TRIGGER delivery_concerns_opendata_generation_delete;
DROP TRIGGER delivery_concerns_opendata_generation_update;
DROP TRIGGER delivery_concerns_opendata_generation_insert;
DROP TRIGGER kpi_assessments_opendata_generation_delete;
DROP TRIGGER kpi_assessments_opendata_generation_update;
DROP TRIGGER kpi_assessments_opendata_generation_insert;
DROP TRIGGER contract_kpis_opendata_generation_delete;
DROP TRIGGER contract_kpis_opendata_generation_update;
DROP TRIGGER contract_kpis_opendata_generation_insert;
DROP TRIGGER proxy_values_opendata_generation_delete;
DROP TRIGGER proxy_values_opendata_generation_update;
DROP TRIGGER proxy_values_opendata_generation_insert;
DROP TRIGGER proxy_sources_opendata_generation_delete;
DROP TRIGGER proxy_sources_opendata_generation_update;
DROP TRIGGER proxy_sources_opendata_generation_insert;
DROP TRIGGER proxy_unit_costs_opendata_generation_delete;
DROP TRIGGER proxy_unit_costs_opendata_generation_update;
DROP TRIGGER proxy_unit_costs_opendata_generation_insert;
DROP TRIGGER measure_proxy_links_opendata_generation_delete;
DROP TRIGGER measure_proxy_links_opendata_generation_update;
DROP TRIGGER measure_proxy_links_opendata_generation_insert;
DROP TRIGGER priorities_opendata_generation_delete;
DROP TRIGGER priorities_opendata_generation_update;
DROP TRIGGER priorities_opendata_generation_insert;
DROP TRIGGER outcomes_opendata_generation_delete;
DROP TRIGGER outcomes_opendata_generation_update;
DROP TRIGGER outcomes_opendata_generation_insert;
DROP TRIGGER measures_opendata_generation_delete;
DROP TRIGGER measures_opendata_generation_update;
DROP TRIGGER measures_opendata_generation_insert;
DROP TRIGGER commitments_opendata_generation_delete;
DROP TRIGGER commitments_opendata_generation_update;
DROP TRIGGER commitments_opendata_generation_insert;
DROP TRIGGER contracts_opendata_generation_delete;
DROP TRIGGER contracts_opendata_generation_update;
DROP TRIGGER contracts_opendata_generation_insert;
DROP TRIGGER awards_opendata_generation_delete;
DROP TRIGGER awards_opendata_generation_update;
DROP TRIGGER awards_opendata_generation_insert;
DROP TRIGGER notices_opendata_generation_delete;
DROP TRIGGER notices_opendata_generation_update;
DROP TRIGGER notices_opendata_generation_insert;
DROP TRIGGER bids_opendata_generation_delete;
DROP TRIGGER bids_opendata_generation_update;
DROP TRIGGER bids_opendata_generation_insert;
DROP TRIGGER sites_opendata_generation_delete;
DROP TRIGGER sites_opendata_generation_update;
DROP TRIGGER sites_opendata_generation_insert;
DROP TRIGGER organisations_opendata_generation_delete;
DROP TRIGGER organisations_opendata_generation_update;
DROP TRIGGER organisations_opendata_generation_insert;
DROP TRIGGER tenders_opendata_generation_delete;
DROP TRIGGER tenders_opendata_generation_update;
DROP TRIGGER tenders_opendata_generation_insert;
DELETE FROM reference_generation WHERE name IN ('ocds', 'network');
