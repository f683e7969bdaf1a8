-- +goose Up
-- Runs of the postcode directory and IMD imports started from the web (the
-- upload kept in a temporary file until its job has read it) and of the
-- re-placing job that follows every import: status, progress, the phase and
-- last row done (so a job taken over by another node resumes), and errors.
CREATE TABLE geo_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    file_path TEXT NOT NULL DEFAULT '',
    release_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL DEFAULT '',
    last_id BIGINT NOT NULL DEFAULT 0,
    rows_done BIGINT NOT NULL DEFAULT 0,
    rows_total BIGINT NOT NULL DEFAULT 0,
    moved BIGINT NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
-- Published People's Weights stay frozen; they say which postcode release
-- and IMD edition placed their ballots.
ALTER TABLE people_weights ADD COLUMN postcode_release TEXT NOT NULL DEFAULT '';
ALTER TABLE people_weights ADD COLUMN imd_edition TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE people_weights DROP COLUMN imd_edition;
ALTER TABLE people_weights DROP COLUMN postcode_release;
DROP TABLE geo_runs;
