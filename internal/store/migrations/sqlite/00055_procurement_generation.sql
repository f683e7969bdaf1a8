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
CREATE TRIGGER frameworks_framework_tree_generation_insert AFTER INSERT ON frameworks
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER frameworks_framework_tree_generation_update AFTER UPDATE ON frameworks
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER frameworks_framework_tree_generation_delete AFTER DELETE ON frameworks
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_framework_tree_generation_insert AFTER INSERT ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_framework_tree_generation_update AFTER UPDATE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_framework_tree_generation_delete AFTER DELETE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_framework_tree_generation_insert AFTER INSERT ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_framework_tree_generation_update AFTER UPDATE ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_framework_tree_generation_delete AFTER DELETE ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_framework_tree_generation_insert AFTER INSERT ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_framework_tree_generation_update AFTER UPDATE ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_framework_tree_generation_delete AFTER DELETE ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_framework_tree_generation_insert AFTER INSERT ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_framework_tree_generation_update AFTER UPDATE ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_framework_tree_generation_delete AFTER DELETE ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_framework_tree_generation_insert AFTER INSERT ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_framework_tree_generation_update AFTER UPDATE ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_framework_tree_generation_delete AFTER DELETE ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_framework_tree_generation_insert AFTER INSERT ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_framework_tree_generation_update AFTER UPDATE ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_framework_tree_generation_delete AFTER DELETE ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_framework_tree_generation_insert AFTER INSERT ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_framework_tree_generation_update AFTER UPDATE ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_framework_tree_generation_delete AFTER DELETE ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'framework-tree'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenders_tender_list_generation_insert AFTER INSERT ON tenders
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenders_tender_list_generation_update AFTER UPDATE ON tenders
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tenders_tender_list_generation_delete AFTER DELETE ON tenders
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_tender_list_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_tender_list_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_tender_list_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-list'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_contract_dashboard_generation_insert AFTER INSERT ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_contract_dashboard_generation_update AFTER UPDATE ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contracts_contract_dashboard_generation_delete AFTER DELETE ON contracts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_contract_dashboard_generation_insert AFTER INSERT ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_contract_dashboard_generation_update AFTER UPDATE ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER commitments_contract_dashboard_generation_delete AFTER DELETE ON commitments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_contract_dashboard_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_contract_dashboard_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_contract_dashboard_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_contract_dashboard_generation_insert AFTER INSERT ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_contract_dashboard_generation_update AFTER UPDATE ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measures_contract_dashboard_generation_delete AFTER DELETE ON measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_contract_dashboard_generation_insert AFTER INSERT ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_contract_dashboard_generation_update AFTER UPDATE ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_contract_dashboard_generation_delete AFTER DELETE ON outcomes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_contract_dashboard_generation_insert AFTER INSERT ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_contract_dashboard_generation_update AFTER UPDATE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_contract_dashboard_generation_delete AFTER DELETE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_contract_dashboard_generation_insert AFTER INSERT ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_contract_dashboard_generation_update AFTER UPDATE ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_values_contract_dashboard_generation_delete AFTER DELETE ON proxy_values
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_contract_dashboard_generation_insert AFTER INSERT ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_contract_dashboard_generation_update AFTER UPDATE ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER measure_proxy_links_contract_dashboard_generation_delete AFTER DELETE ON measure_proxy_links
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_contract_dashboard_generation_insert AFTER INSERT ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_contract_dashboard_generation_update AFTER UPDATE ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_unit_costs_contract_dashboard_generation_delete AFTER DELETE ON proxy_unit_costs
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_contract_dashboard_generation_insert AFTER INSERT ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_contract_dashboard_generation_update AFTER UPDATE ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proxy_sources_contract_dashboard_generation_delete AFTER DELETE ON proxy_sources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER price_indexes_contract_dashboard_generation_insert AFTER INSERT ON price_indexes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER price_indexes_contract_dashboard_generation_update AFTER UPDATE ON price_indexes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER price_indexes_contract_dashboard_generation_delete AFTER DELETE ON price_indexes
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER price_index_years_contract_dashboard_generation_insert AFTER INSERT ON price_index_years
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER price_index_years_contract_dashboard_generation_update AFTER UPDATE ON price_index_years
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER price_index_years_contract_dashboard_generation_delete AFTER DELETE ON price_index_years
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_contract_dashboard_generation_insert AFTER INSERT ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_contract_dashboard_generation_update AFTER UPDATE ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_contract_dashboard_generation_delete AFTER DELETE ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_wards_contract_dashboard_generation_insert AFTER INSERT ON geo_wards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_wards_contract_dashboard_generation_update AFTER UPDATE ON geo_wards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_wards_contract_dashboard_generation_delete AFTER DELETE ON geo_wards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-dashboard'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER geo_wards_contract_dashboard_generation_delete;
DROP TRIGGER geo_wards_contract_dashboard_generation_update;
DROP TRIGGER geo_wards_contract_dashboard_generation_insert;
DROP TRIGGER geo_districts_contract_dashboard_generation_delete;
DROP TRIGGER geo_districts_contract_dashboard_generation_update;
DROP TRIGGER geo_districts_contract_dashboard_generation_insert;
DROP TRIGGER price_index_years_contract_dashboard_generation_delete;
DROP TRIGGER price_index_years_contract_dashboard_generation_update;
DROP TRIGGER price_index_years_contract_dashboard_generation_insert;
DROP TRIGGER price_indexes_contract_dashboard_generation_delete;
DROP TRIGGER price_indexes_contract_dashboard_generation_update;
DROP TRIGGER price_indexes_contract_dashboard_generation_insert;
DROP TRIGGER proxy_sources_contract_dashboard_generation_delete;
DROP TRIGGER proxy_sources_contract_dashboard_generation_update;
DROP TRIGGER proxy_sources_contract_dashboard_generation_insert;
DROP TRIGGER proxy_unit_costs_contract_dashboard_generation_delete;
DROP TRIGGER proxy_unit_costs_contract_dashboard_generation_update;
DROP TRIGGER proxy_unit_costs_contract_dashboard_generation_insert;
DROP TRIGGER measure_proxy_links_contract_dashboard_generation_delete;
DROP TRIGGER measure_proxy_links_contract_dashboard_generation_update;
DROP TRIGGER measure_proxy_links_contract_dashboard_generation_insert;
DROP TRIGGER proxy_values_contract_dashboard_generation_delete;
DROP TRIGGER proxy_values_contract_dashboard_generation_update;
DROP TRIGGER proxy_values_contract_dashboard_generation_insert;
DROP TRIGGER priorities_contract_dashboard_generation_delete;
DROP TRIGGER priorities_contract_dashboard_generation_update;
DROP TRIGGER priorities_contract_dashboard_generation_insert;
DROP TRIGGER outcomes_contract_dashboard_generation_delete;
DROP TRIGGER outcomes_contract_dashboard_generation_update;
DROP TRIGGER outcomes_contract_dashboard_generation_insert;
DROP TRIGGER measures_contract_dashboard_generation_delete;
DROP TRIGGER measures_contract_dashboard_generation_update;
DROP TRIGGER measures_contract_dashboard_generation_insert;
DROP TRIGGER organisations_contract_dashboard_generation_delete;
DROP TRIGGER organisations_contract_dashboard_generation_update;
DROP TRIGGER organisations_contract_dashboard_generation_insert;
DROP TRIGGER commitments_contract_dashboard_generation_delete;
DROP TRIGGER commitments_contract_dashboard_generation_update;
DROP TRIGGER commitments_contract_dashboard_generation_insert;
DROP TRIGGER contracts_contract_dashboard_generation_delete;
DROP TRIGGER contracts_contract_dashboard_generation_update;
DROP TRIGGER contracts_contract_dashboard_generation_insert;
DROP TRIGGER organisations_tender_list_generation_delete;
DROP TRIGGER organisations_tender_list_generation_update;
DROP TRIGGER organisations_tender_list_generation_insert;
DROP TRIGGER tenders_tender_list_generation_delete;
DROP TRIGGER tenders_tender_list_generation_update;
DROP TRIGGER tenders_tender_list_generation_insert;
DROP TRIGGER proxy_sources_framework_tree_generation_delete;
DROP TRIGGER proxy_sources_framework_tree_generation_update;
DROP TRIGGER proxy_sources_framework_tree_generation_insert;
DROP TRIGGER proxy_unit_costs_framework_tree_generation_delete;
DROP TRIGGER proxy_unit_costs_framework_tree_generation_update;
DROP TRIGGER proxy_unit_costs_framework_tree_generation_insert;
DROP TRIGGER measure_proxy_links_framework_tree_generation_delete;
DROP TRIGGER measure_proxy_links_framework_tree_generation_update;
DROP TRIGGER measure_proxy_links_framework_tree_generation_insert;
DROP TRIGGER proxy_values_framework_tree_generation_delete;
DROP TRIGGER proxy_values_framework_tree_generation_update;
DROP TRIGGER proxy_values_framework_tree_generation_insert;
DROP TRIGGER measures_framework_tree_generation_delete;
DROP TRIGGER measures_framework_tree_generation_update;
DROP TRIGGER measures_framework_tree_generation_insert;
DROP TRIGGER outcomes_framework_tree_generation_delete;
DROP TRIGGER outcomes_framework_tree_generation_update;
DROP TRIGGER outcomes_framework_tree_generation_insert;
DROP TRIGGER priorities_framework_tree_generation_delete;
DROP TRIGGER priorities_framework_tree_generation_update;
DROP TRIGGER priorities_framework_tree_generation_insert;
DROP TRIGGER frameworks_framework_tree_generation_delete;
DROP TRIGGER frameworks_framework_tree_generation_update;
DROP TRIGGER frameworks_framework_tree_generation_insert;
DELETE FROM reference_generation WHERE name IN ('framework-tree', 'tender-list', 'contract-dashboard');
