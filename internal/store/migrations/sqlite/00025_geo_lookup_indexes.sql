-- +goose Up
-- Pages that show a need's, offer's or organisation's area average the IMD
-- decile of its ward's (or district's) LSOAs; without these indexes every
-- such row scanned all 1,673 LSOAs twice (the /hub page took ~40 ms).
CREATE INDEX geo_lsoas_ward ON geo_lsoas (ward_code);
CREATE INDEX geo_lsoas_district ON geo_lsoas (district_code);

-- +goose Down
DROP INDEX geo_lsoas_district;
DROP INDEX geo_lsoas_ward;
