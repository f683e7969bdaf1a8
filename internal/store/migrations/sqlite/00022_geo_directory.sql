-- +goose Up
-- Postcode sectors ("M14 5") for the fallback, which names a district from
-- a sector or outward code only when the tables show no other district
-- could hold the postcode.
ALTER TABLE geo_postcodes ADD COLUMN sector TEXT NOT NULL DEFAULT '';
UPDATE geo_postcodes SET sector = substr(postcode, 1, length(postcode) - 2);
CREATE INDEX geo_postcodes_sector ON geo_postcodes(sector);
-- How much of each district's postcodes geo_postcodes holds: complete
-- (every postcode), or a sorted sample ending at last_postcode. A district
-- without a row is taken to be able to hold any postcode.
CREATE TABLE geo_coverage (
    district_code TEXT PRIMARY KEY,
    complete BOOLEAN NOT NULL,
    last_postcode TEXT NOT NULL
);
-- The ONS postcode directory (ONSPD or NSPL), UK-wide, as last imported by
-- svhub import postcodes. It is consulted before geo_postcodes.
CREATE TABLE geo_directory (
    postcode TEXT PRIMARY KEY,
    sector TEXT NOT NULL,
    lad_code TEXT NOT NULL,
    ward_code TEXT NOT NULL,
    lsoa11 TEXT NOT NULL,
    lsoa21 TEXT NOT NULL,
    region_code TEXT NOT NULL,
    imd_decile INTEGER NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    terminated TEXT NOT NULL
);
CREATE INDEX geo_directory_sector ON geo_directory(sector);
-- Names of the codes the directory uses (local authorities, wards and
-- regions across the UK).
CREATE TABLE geo_names (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
-- The release of each kind of reference data in force ("postcodes":
-- "ONSPD February 2025"; "imd": "IoD2019").
CREATE TABLE geo_releases (
    kind TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    file TEXT NOT NULL,
    rows_loaded INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE geo_releases;
DROP TABLE geo_names;
DROP TABLE geo_directory;
DROP TABLE geo_coverage;
DROP INDEX geo_postcodes_sector;
ALTER TABLE geo_postcodes DROP COLUMN sector;
