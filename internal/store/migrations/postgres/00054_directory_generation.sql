-- +goose Up
-- A generation number for the organisation directory (the reference_generation
-- table of migration 53, row 'directory'). The web server keeps the directory's
-- pages of results, organisation profiles and kite marks under it: the
-- organisations with their sites, accreditations (and verified documents), the
-- accrediting bodies, the district names, the pledge, its reports and text, the
-- champions, and the facts the kite mark rules read (a supplier's verified
-- delivery: contracts, commitments, delivery lines; brokerage delivered: offers,
-- matches). Triggers bump the row in the transaction of every write to those
-- tables, so every node sees a change on its next request and nothing is served
-- stale.
INSERT INTO reference_generation (name, generation) VALUES ('directory', 1);
-- +goose StatementBegin
CREATE FUNCTION reference_generation_directory() RETURNS trigger AS $$
BEGIN
    UPDATE reference_generation SET generation = generation + 1 WHERE name = 'directory';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER organisations_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER sites_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER accreditations_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accreditations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER accreditation_files_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accreditation_files
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER accrediting_bodies_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accrediting_bodies
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER geo_districts_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geo_districts
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER pledges_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pledges
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER pledge_reports_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pledge_reports
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER pledge_versions_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pledge_versions
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER champions_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON champions
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER contracts_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER commitments_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON commitments
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER delivery_lines_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_lines
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER hub_offers_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_offers
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();
CREATE TRIGGER hub_matches_directory_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hub_matches
    FOR EACH STATEMENT EXECUTE FUNCTION reference_generation_directory();

-- +goose Down
DROP TRIGGER hub_matches_directory_generation ON hub_matches;
DROP TRIGGER hub_offers_directory_generation ON hub_offers;
DROP TRIGGER delivery_lines_directory_generation ON delivery_lines;
DROP TRIGGER commitments_directory_generation ON commitments;
DROP TRIGGER contracts_directory_generation ON contracts;
DROP TRIGGER champions_directory_generation ON champions;
DROP TRIGGER pledge_versions_directory_generation ON pledge_versions;
DROP TRIGGER pledge_reports_directory_generation ON pledge_reports;
DROP TRIGGER pledges_directory_generation ON pledges;
DROP TRIGGER geo_districts_directory_generation ON geo_districts;
DROP TRIGGER accrediting_bodies_directory_generation ON accrediting_bodies;
DROP TRIGGER accreditation_files_directory_generation ON accreditation_files;
DROP TRIGGER accreditations_directory_generation ON accreditations;
DROP TRIGGER sites_directory_generation ON sites;
DROP TRIGGER organisations_directory_generation ON organisations;
DROP FUNCTION reference_generation_directory();
DELETE FROM reference_generation WHERE name = 'directory';
