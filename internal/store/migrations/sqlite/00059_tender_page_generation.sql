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
CREATE TRIGGER tender_criteria_tender_page_generation_insert AFTER INSERT ON tender_criteria
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_criteria_tender_page_generation_update AFTER UPDATE ON tender_criteria
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_criteria_tender_page_generation_delete AFTER DELETE ON tender_criteria
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_measures_tender_page_generation_insert AFTER INSERT ON tender_measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_measures_tender_page_generation_update AFTER UPDATE ON tender_measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_measures_tender_page_generation_delete AFTER DELETE ON tender_measures
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_documents_tender_page_generation_insert AFTER INSERT ON tender_documents
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_documents_tender_page_generation_update AFTER UPDATE ON tender_documents
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_documents_tender_page_generation_delete AFTER DELETE ON tender_documents
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_questions_tender_page_generation_insert AFTER INSERT ON tender_questions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_questions_tender_page_generation_update AFTER UPDATE ON tender_questions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tender_questions_tender_page_generation_delete AFTER DELETE ON tender_questions
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_tender_page_generation_insert AFTER INSERT ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_tender_page_generation_update AFTER UPDATE ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notices_tender_page_generation_delete AFTER DELETE ON notices
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_weights_tender_page_generation_insert AFTER INSERT ON people_weights
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_weights_tender_page_generation_update AFTER UPDATE ON people_weights
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER people_weights_tender_page_generation_delete AFTER DELETE ON people_weights
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'tender-page'; END;
-- +goose StatementEnd
-- +goose Down
DROP TRIGGER people_weights_tender_page_generation_delete;
DROP TRIGGER people_weights_tender_page_generation_update;
DROP TRIGGER people_weights_tender_page_generation_insert;
DROP TRIGGER notices_tender_page_generation_delete;
DROP TRIGGER notices_tender_page_generation_update;
DROP TRIGGER notices_tender_page_generation_insert;
DROP TRIGGER tender_questions_tender_page_generation_delete;
DROP TRIGGER tender_questions_tender_page_generation_update;
DROP TRIGGER tender_questions_tender_page_generation_insert;
DROP TRIGGER tender_documents_tender_page_generation_delete;
DROP TRIGGER tender_documents_tender_page_generation_update;
DROP TRIGGER tender_documents_tender_page_generation_insert;
DROP TRIGGER tender_measures_tender_page_generation_delete;
DROP TRIGGER tender_measures_tender_page_generation_update;
DROP TRIGGER tender_measures_tender_page_generation_insert;
DROP TRIGGER tender_criteria_tender_page_generation_delete;
DROP TRIGGER tender_criteria_tender_page_generation_update;
DROP TRIGGER tender_criteria_tender_page_generation_insert;
DELETE FROM reference_generation WHERE name = 'tender-page';
