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
CREATE FUNCTION reference_generation_contract_page() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'contract-page';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER delivery_reports_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_reports
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER delivery_lines_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_lines
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER delivery_concerns_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_concerns
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER delivery_replies_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_replies
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER delivery_files_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_files
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER contract_kpis_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contract_kpis
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER kpi_assessments_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_assessments
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();
CREATE TRIGGER notices_contract_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notices
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_contract_page();

-- +goose Down
DROP TRIGGER notices_contract_page_generation ON notices;
DROP TRIGGER kpi_assessments_contract_page_generation ON kpi_assessments;
DROP TRIGGER contract_kpis_contract_page_generation ON contract_kpis;
DROP TRIGGER delivery_files_contract_page_generation ON delivery_files;
DROP TRIGGER delivery_replies_contract_page_generation ON delivery_replies;
DROP TRIGGER delivery_concerns_contract_page_generation ON delivery_concerns;
DROP TRIGGER delivery_lines_contract_page_generation ON delivery_lines;
DROP TRIGGER delivery_reports_contract_page_generation ON delivery_reports;
DROP FUNCTION reference_generation_contract_page();
DELETE FROM reference_generation WHERE name = 'contract-page';
