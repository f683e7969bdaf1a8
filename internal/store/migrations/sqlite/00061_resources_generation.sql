-- +goose Up
-- A generation number for the resource library's list (row 'resources' of
-- the reference_generation table of migration 53). The web server keeps the
-- /resources search form and published list rendered per search under it and
-- the priorities' generation: triggers bump the row in the transaction of
-- every write to the resources and to the organisations that write them, so
-- every node sees a change on its next request and nothing is served stale.
INSERT INTO reference_generation (name, generation) VALUES ('resources', 1);
-- +goose StatementBegin
CREATE TRIGGER resources_resources_generation_insert AFTER INSERT ON resources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resources_resources_generation_update AFTER UPDATE ON resources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER resources_resources_generation_delete AFTER DELETE ON resources
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_resources_generation_insert AFTER INSERT ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_resources_generation_update AFTER UPDATE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organisations_resources_generation_delete AFTER DELETE ON organisations
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER organisations_resources_generation_delete;
DROP TRIGGER organisations_resources_generation_update;
DROP TRIGGER organisations_resources_generation_insert;
DROP TRIGGER resources_resources_generation_delete;
DROP TRIGGER resources_resources_generation_update;
DROP TRIGGER resources_resources_generation_insert;
DELETE FROM reference_generation WHERE name = 'resources';
