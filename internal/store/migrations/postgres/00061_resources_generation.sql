-- +goose Up
-- A generation number for the resource library's list (row 'resources' of
-- the reference_generation table of migration 53). The web server keeps the
-- /resources search form and published list rendered per search under it and
-- the priorities' generation: triggers bump the row in the transaction of
-- every write to the resources and to the organisations that write them, so
-- every node sees a change on its next request and nothing is served stale.
INSERT INTO reference_generation (name, generation) VALUES ('resources', 1);
-- +goose StatementBegin
CREATE FUNCTION reference_generation_resources() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'resources';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER resources_resources_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_resources();
CREATE TRIGGER organisations_resources_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_resources();

-- +goose Down
DROP TRIGGER organisations_resources_generation ON organisations;
DROP TRIGGER resources_resources_generation ON resources;
DROP FUNCTION reference_generation_resources();
DELETE FROM reference_generation WHERE name = 'resources';
