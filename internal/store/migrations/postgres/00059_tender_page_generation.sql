-- +goose Up
-- The generation 'tender-page' (a row of the reference_generation table of
-- migration 53) guards what a tender's page reads beside the tender itself
-- (whose row and buyer's name raise 'tender-list', migration 55): its
-- criteria and measures, documents, clarification questions and answers,
-- notices, and the published People's Weights it names. The page keeps a
-- copy under the sum of 'tender-list', 'tender-page', 'framework-tree' and
-- 'priorities' (internal/web/tenders_page.go). Bids, bidders and evaluators
-- are deliberately behind none of them: nothing about a bid is kept
-- between requests. Triggers raise the number in the transaction of every
-- write to those tables, so every node sees a change on its next request.
INSERT INTO reference_generation (name, generation) VALUES ('tender-page', 1);
-- +goose StatementBegin
CREATE FUNCTION reference_generation_tender_page() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER tender_criteria_tender_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tender_criteria
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_page();
CREATE TRIGGER tender_measures_tender_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tender_measures
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_page();
CREATE TRIGGER tender_documents_tender_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tender_documents
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_page();
CREATE TRIGGER tender_questions_tender_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tender_questions
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_page();
CREATE TRIGGER notices_tender_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notices
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_page();
CREATE TRIGGER people_weights_tender_page_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people_weights
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_tender_page();
-- +goose Down
DROP TRIGGER people_weights_tender_page_generation ON people_weights;
DROP TRIGGER notices_tender_page_generation ON notices;
DROP TRIGGER tender_questions_tender_page_generation ON tender_questions;
DROP TRIGGER tender_documents_tender_page_generation ON tender_documents;
DROP TRIGGER tender_measures_tender_page_generation ON tender_measures;
DROP TRIGGER tender_criteria_tender_page_generation ON tender_criteria;
DROP FUNCTION reference_generation_tender_page();
DELETE FROM reference_generation WHERE name = 'tender-page';
