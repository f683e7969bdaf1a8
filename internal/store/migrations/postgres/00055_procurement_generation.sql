-- +goose Up
-- Generation numbers (rows of the reference_generation table of migration 53)
-- for what the procurement pages read on every request otherwise:
-- 'framework-tree' guards a framework edition's tree as /frameworks/{id}
-- shows it (editions, priorities, outcomes, measures, their proxy values and
-- links to unit costs with their sources); 'tender-list' guards the tenders
-- as /tenders and /tenders.atom list them (tenders and their buyers' names);
-- 'contract-dashboard' guards the contracts dashboard (/contracts and its
-- buyer and supplier views: contracts, their commitments with running
-- totals, the organisations named, measures up to their priorities, unit
-- values and price indexes, and the area names of commitments).
-- Bids are deliberately behind none of them: nothing about a bid is kept
-- between requests. Triggers raise the numbers in the transaction of every
-- write to those tables, so every node sees a change on its next request
-- and nothing is served stale.
INSERT INTO reference_generation (name, generation) VALUES ('framework-tree', 1), ('tender-list', 1), ('contract-dashboard', 1);
-- +goose StatementBegin
CREATE FUNCTION reference_generation_framework_tree() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER frameworks_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON frameworks
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER priorities_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priorities
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER outcomes_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outcomes
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER measures_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER proxy_values_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_values
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER measure_proxy_links_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measure_proxy_links
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER proxy_unit_costs_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_unit_costs
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
CREATE TRIGGER proxy_sources_framework_tree_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_sources
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_framework_tree();
-- +goose StatementBegin
CREATE FUNCTION reference_generation_tender_list() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER tenders_tender_list_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tenders
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_list();
CREATE TRIGGER organisations_tender_list_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_list();
-- +goose StatementBegin
CREATE FUNCTION reference_generation_contract_dashboard() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER contracts_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER commitments_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commitments
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER organisations_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER measures_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER outcomes_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outcomes
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER priorities_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priorities
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER proxy_values_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_values
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER measure_proxy_links_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measure_proxy_links
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER proxy_unit_costs_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_unit_costs
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER proxy_sources_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxy_sources
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER price_indexes_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON price_indexes
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER price_index_years_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON price_index_years
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER geo_districts_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geo_districts
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();
CREATE TRIGGER geo_wards_contract_dashboard_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geo_wards
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_dashboard();

-- +goose Down
DROP TRIGGER contracts_contract_dashboard_generation ON contracts;
DROP TRIGGER commitments_contract_dashboard_generation ON commitments;
DROP TRIGGER organisations_contract_dashboard_generation ON organisations;
DROP TRIGGER measures_contract_dashboard_generation ON measures;
DROP TRIGGER outcomes_contract_dashboard_generation ON outcomes;
DROP TRIGGER priorities_contract_dashboard_generation ON priorities;
DROP TRIGGER proxy_values_contract_dashboard_generation ON proxy_values;
DROP TRIGGER measure_proxy_links_contract_dashboard_generation ON measure_proxy_links;
DROP TRIGGER proxy_unit_costs_contract_dashboard_generation ON proxy_unit_costs;
DROP TRIGGER proxy_sources_contract_dashboard_generation ON proxy_sources;
DROP TRIGGER price_indexes_contract_dashboard_generation ON price_indexes;
DROP TRIGGER price_index_years_contract_dashboard_generation ON price_index_years;
DROP TRIGGER geo_districts_contract_dashboard_generation ON geo_districts;
DROP TRIGGER geo_wards_contract_dashboard_generation ON geo_wards;
DROP FUNCTION reference_generation_contract_dashboard();
DROP TRIGGER tenders_tender_list_generation ON tenders;
DROP TRIGGER organisations_tender_list_generation ON organisations;
DROP FUNCTION reference_generation_tender_list();
DROP TRIGGER frameworks_framework_tree_generation ON frameworks;
DROP TRIGGER priorities_framework_tree_generation ON priorities;
DROP TRIGGER outcomes_framework_tree_generation ON outcomes;
DROP TRIGGER measures_framework_tree_generation ON measures;
DROP TRIGGER proxy_values_framework_tree_generation ON proxy_values;
DROP TRIGGER measure_proxy_links_framework_tree_generation ON measure_proxy_links;
DROP TRIGGER proxy_unit_costs_framework_tree_generation ON proxy_unit_costs;
DROP TRIGGER proxy_sources_framework_tree_generation ON proxy_sources;
DROP FUNCTION reference_generation_framework_tree();
DELETE FROM reference_generation WHERE name IN ('framework-tree', 'tender-list', 'contract-dashboard');
