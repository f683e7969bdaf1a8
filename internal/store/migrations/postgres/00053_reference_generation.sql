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
    generation BIGINT NOT NULL
);
INSERT INTO reference_generation (name, generation) VALUES ('priorities', 1), ('geography', 1);
-- +goose StatementBegin
CREATE FUNCTION reference_generation_priorities() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'priorities';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER frameworks_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON frameworks
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_priorities();
CREATE TRIGGER priorities_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priorities
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_priorities();
CREATE TRIGGER priority_rounds_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priority_rounds
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_priorities();
-- +goose StatementBegin
CREATE FUNCTION reference_generation_geography() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'geography';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER geo_districts_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geo_districts
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_geography();
CREATE TRIGGER geo_wards_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geo_wards
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_geography();
CREATE TRIGGER geo_lsoas_reference_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geo_lsoas
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_geography();

-- +goose Down
DROP TRIGGER geo_lsoas_reference_generation ON geo_lsoas;
DROP TRIGGER geo_wards_reference_generation ON geo_wards;
DROP TRIGGER geo_districts_reference_generation ON geo_districts;
DROP FUNCTION reference_generation_geography();
DROP TRIGGER priority_rounds_reference_generation ON priority_rounds;
DROP TRIGGER priorities_reference_generation ON priorities;
DROP TRIGGER frameworks_reference_generation ON frameworks;
DROP FUNCTION reference_generation_priorities();
DROP TABLE reference_generation;
