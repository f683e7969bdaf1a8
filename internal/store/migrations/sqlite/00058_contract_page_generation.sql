-- +goose Up
-- Generation number for the rest of what a contract's page shows (row
-- 'contract-page' of the reference_generation table of migration 53): its
-- delivery reports and lines, residents' concerns and the buyer's responses,
-- the supplier's replies and their evidence files (names and sizes), its key
-- performance indicators and their assessments, and the notices of its tender.
-- The page is kept under this number plus 'contract-dashboard' (migration 55:
-- contracts, commitments, organisations, measures, unit values, price indexes,
-- area names). Triggers raise it in the transaction of every write to those
-- tables, so every node sees a change on its next request and nothing is
-- served stale.
INSERT INTO reference_generation (name, generation) VALUES ('contract-page', 1);
-- +goose StatementBegin
CREATE TRIGGER delivery_reports_contract_page_generation_insert AFTER INSERT ON delivery_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_reports_contract_page_generation_update AFTER UPDATE ON delivery_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_reports_contract_page_generation_delete AFTER DELETE ON delivery_reports
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_contract_page_generation_insert AFTER INSERT ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_contract_page_generation_update AFTER UPDATE ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_lines_contract_page_generation_delete AFTER DELETE ON delivery_lines
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_concerns_contract_page_generation_insert AFTER INSERT ON delivery_concerns
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_concerns_contract_page_generation_update AFTER UPDATE ON delivery_concerns
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_concerns_contract_page_generation_delete AFTER DELETE ON delivery_concerns
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_replies_contract_page_generation_insert AFTER INSERT ON delivery_replies
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_replies_contract_page_generation_update AFTER UPDATE ON delivery_replies
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_replies_contract_page_generation_delete AFTER DELETE ON delivery_replies
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_files_contract_page_generation_insert AFTER INSERT ON delivery_files
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_files_contract_page_generation_update AFTER UPDATE ON delivery_files
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER delivery_files_contract_page_generation_delete AFTER DELETE ON delivery_files
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contract_kpis_contract_page_generation_insert AFTER INSERT ON contract_kpis
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contract_kpis_contract_page_generation_update AFTER UPDATE ON contract_kpis
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contract_kpis_contract_page_generation_delete AFTER DELETE ON contract_kpis
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER kpi_assessments_contract_page_generation_insert AFTER INSERT ON kpi_assessments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER kpi_assessments_contract_page_generation_update AFTER UPDATE ON kpi_assessments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER kpi_assessments_contract_page_generation_delete AFTER DELETE ON kpi_assessments
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_contract_page_generation_insert AFTER INSERT ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_contract_page_generation_update AFTER UPDATE ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_contract_page_generation_delete AFTER DELETE ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER notices_contract_page_generation_delete;
DROP TRIGGER notices_contract_page_generation_update;
DROP TRIGGER notices_contract_page_generation_insert;
DROP TRIGGER kpi_assessments_contract_page_generation_delete;
DROP TRIGGER kpi_assessments_contract_page_generation_update;
DROP TRIGGER kpi_assessments_contract_page_generation_insert;
DROP TRIGGER contract_kpis_contract_page_generation_delete;
DROP TRIGGER contract_kpis_contract_page_generation_update;
DROP TRIGGER contract_kpis_contract_page_generation_insert;
DROP TRIGGER delivery_files_contract_page_generation_delete;
DROP TRIGGER delivery_files_contract_page_generation_update;
DROP TRIGGER delivery_files_contract_page_generation_insert;
DROP TRIGGER delivery_replies_contract_page_generation_delete;
DROP TRIGGER delivery_replies_contract_page_generation_update;
DROP TRIGGER delivery_replies_contract_page_generation_insert;
DROP TRIGGER delivery_concerns_contract_page_generation_delete;
DROP TRIGGER delivery_concerns_contract_page_generation_update;
DROP TRIGGER delivery_concerns_contract_page_generation_insert;
DROP TRIGGER delivery_lines_contract_page_generation_delete;
DROP TRIGGER delivery_lines_contract_page_generation_update;
DROP TRIGGER delivery_lines_contract_page_generation_insert;
DROP TRIGGER delivery_reports_contract_page_generation_delete;
DROP TRIGGER delivery_reports_contract_page_generation_update;
DROP TRIGGER delivery_reports_contract_page_generation_insert;
DELETE FROM reference_generation WHERE name = 'contract-page';
