-- +goose Up
-- How a ballot's district was known: the postcode lookup's confidence
-- (exact, located, sector, outward) or 'stated' when the postcode is not in
-- the loaded tables and the voter chose their district from a list. Ballots
-- stored before this migration keep '' (placed by their postcode).
ALTER TABLE ballots ADD COLUMN place_confidence TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE ballots DROP COLUMN place_confidence;
