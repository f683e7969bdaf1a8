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
CREATE FUNCTION opendata_generation_ocds() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'ocds';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER tenders_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenders
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER bids_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bids
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER notices_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notices
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER awards_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON awards
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER measure_proxy_links_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measure_proxy_links
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER proxy_unit_costs_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_unit_costs
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER proxy_sources_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_sources
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER proxy_values_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_values
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER contract_kpis_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contract_kpis
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER kpi_assessments_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_assessments
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER delivery_concerns_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_concerns
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER delivery_lines_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_lines
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
CREATE TRIGGER delivery_reports_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_reports
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_ocds();
-- +goose StatementBegin
CREATE FUNCTION opendata_generation_both() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name IN ('ocds', 'network');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER organisations_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
CREATE TRIGGER sites_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
CREATE TRIGGER contracts_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
CREATE TRIGGER commitments_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commitments
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
CREATE TRIGGER measures_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
CREATE TRIGGER outcomes_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outcomes
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
CREATE TRIGGER priorities_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priorities
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_both();
-- +goose StatementBegin
CREATE FUNCTION opendata_generation_network() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'network';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER hub_matches_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_matches
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();
CREATE TRIGGER hub_needs_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_needs
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();
CREATE TRIGGER hub_offers_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_offers
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();
CREATE TRIGGER fund_partners_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_partners
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();
CREATE TRIGGER fund_proposals_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fund_proposals
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();
CREATE TRIGGER memberships_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();
CREATE TRIGGER org_relationships_opendata_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_relationships
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_generation_network();

-- +goose Down
DROP TRIGGER tenders_opendata_generation ON tenders;
DROP TRIGGER bids_opendata_generation ON bids;
DROP TRIGGER notices_opendata_generation ON notices;
DROP TRIGGER awards_opendata_generation ON awards;
DROP TRIGGER measure_proxy_links_opendata_generation ON measure_proxy_links;
DROP TRIGGER proxy_unit_costs_opendata_generation ON proxy_unit_costs;
DROP TRIGGER proxy_sources_opendata_generation ON proxy_sources;
DROP TRIGGER proxy_values_opendata_generation ON proxy_values;
DROP TRIGGER contract_kpis_opendata_generation ON contract_kpis;
DROP TRIGGER kpi_assessments_opendata_generation ON kpi_assessments;
DROP TRIGGER delivery_concerns_opendata_generation ON delivery_concerns;
DROP TRIGGER delivery_lines_opendata_generation ON delivery_lines;
DROP TRIGGER delivery_reports_opendata_generation ON delivery_reports;
DROP FUNCTION opendata_generation_ocds();
DROP TRIGGER organisations_opendata_generation ON organisations;
DROP TRIGGER sites_opendata_generation ON sites;
DROP TRIGGER contracts_opendata_generation ON contracts;
DROP TRIGGER commitments_opendata_generation ON commitments;
DROP TRIGGER measures_opendata_generation ON measures;
DROP TRIGGER outcomes_opendata_generation ON outcomes;
DROP TRIGGER priorities_opendata_generation ON priorities;
DROP FUNCTION opendata_generation_both();
DROP TRIGGER hub_matches_opendata_generation ON hub_matches;
DROP TRIGGER hub_needs_opendata_generation ON hub_needs;
DROP TRIGGER hub_offers_opendata_generation ON hub_offers;
DROP TRIGGER fund_partners_opendata_generation ON fund_partners;
DROP TRIGGER fund_proposals_opendata_generation ON fund_proposals;
DROP TRIGGER memberships_opendata_generation ON memberships;
DROP TRIGGER org_relationships_opendata_generation ON org_relationships;
DROP FUNCTION opendata_generation_network();
DELETE FROM reference_generation WHERE name IN ('ocds', 'network');
