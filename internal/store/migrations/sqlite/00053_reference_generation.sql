-- +goose Up
-- Generation numbers for reference data the web server keeps between
-- requests: 'priorities' (frameworks, their priorities and the People's
-- Priorities rounds, which decide the edition whose priorities the hub's
-- forms and filters list) and 'geography' (districts, wards and LSOAs,
-- which name a need's or offer's area and give its deprivation). Triggers
-- bump a row in the transaction of every write to those tables, so every
-- node sees a change on its next request and nothing is served stale.
CREATE TABLE reference_generation (
    name TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);
INSERT INTO reference_generation (name, generation) VALUES ('priorities', 1), ('geography', 1);
-- +goose StatementBegin
CREATE TRIGGER frameworks_reference_generation_insert AFTER INSERT ON frameworks
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER frameworks_reference_generation_update AFTER UPDATE ON frameworks
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER frameworks_reference_generation_delete AFTER DELETE ON frameworks
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_reference_generation_insert AFTER INSERT ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_reference_generation_update AFTER UPDATE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priorities_reference_generation_delete AFTER DELETE ON priorities
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priority_rounds_reference_generation_insert AFTER INSERT ON priority_rounds
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priority_rounds_reference_generation_update AFTER UPDATE ON priority_rounds
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER priority_rounds_reference_generation_delete AFTER DELETE ON priority_rounds
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_reference_generation_insert AFTER INSERT ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_reference_generation_update AFTER UPDATE ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_districts_reference_generation_delete AFTER DELETE ON geo_districts
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_wards_reference_generation_insert AFTER INSERT ON geo_wards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_wards_reference_generation_update AFTER UPDATE ON geo_wards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_wards_reference_generation_delete AFTER DELETE ON geo_wards
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_lsoas_reference_generation_insert AFTER INSERT ON geo_lsoas
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_lsoas_reference_generation_update AFTER UPDATE ON geo_lsoas
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER geo_lsoas_reference_generation_delete AFTER DELETE ON geo_lsoas
BEGIN UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography'; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER geo_lsoas_reference_generation_delete;
DROP TRIGGER geo_lsoas_reference_generation_update;
DROP TRIGGER geo_lsoas_reference_generation_insert;
DROP TRIGGER geo_wards_reference_generation_delete;
DROP TRIGGER geo_wards_reference_generation_update;
DROP TRIGGER geo_wards_reference_generation_insert;
DROP TRIGGER geo_districts_reference_generation_delete;
DROP TRIGGER geo_districts_reference_generation_update;
DROP TRIGGER geo_districts_reference_generation_insert;
DROP TRIGGER priority_rounds_reference_generation_delete;
DROP TRIGGER priority_rounds_reference_generation_update;
DROP TRIGGER priority_rounds_reference_generation_insert;
DROP TRIGGER priorities_reference_generation_delete;
DROP TRIGGER priorities_reference_generation_update;
DROP TRIGGER priorities_reference_generation_insert;
DROP TRIGGER frameworks_reference_generation_delete;
DROP TRIGGER frameworks_reference_generation_update;
DROP TRIGGER frameworks_reference_generation_insert;
DROP TABLE reference_generation;
