-- +goose Up
-- The Companies House search API (issue 16): responses kept per normalised
-- query (the payee's name) and reused for 30 days; what a search found for
-- a payee (placed automatically, proposed for a person, or decided); and
-- each run of the search job, with how it ended (a refused key, a rate
-- limit) for the resolution page.
CREATE TABLE companies_house_searches (
    query_key TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE companies_house_matches (
    id INTEGER PRIMARY KEY,
    supplier_key TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    company_number TEXT NOT NULL,
    company_name TEXT NOT NULL,
    company_status TEXT NOT NULL,
    company_type TEXT NOT NULL,
    postcode TEXT NOT NULL,
    created_on TEXT NOT NULL,
    score REAL NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('placed', 'proposed', 'confirmed', 'rejected')),
    found_at TIMESTAMP NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP,
    -- when this match added its company to register_entries (NULL: the
    -- register held it already); a rejection removes an entry it added
    -- that no register import has refreshed since.
    entry_added_at TIMESTAMP,
    UNIQUE (supplier_key, company_number)
);
CREATE UNIQUE INDEX companies_house_matches_one ON companies_house_matches (supplier_key) WHERE state IN ('placed', 'confirmed');
CREATE TABLE companies_house_runs (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    finished_at TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('done', 'stopped', 'failed')),
    message TEXT NOT NULL,
    searched INTEGER NOT NULL,
    cached INTEGER NOT NULL,
    placed INTEGER NOT NULL,
    proposed INTEGER NOT NULL
);
CREATE INDEX companies_house_runs_finished ON companies_house_runs (finished_at);

-- +goose Down
DROP TABLE companies_house_runs;
DROP TABLE companies_house_matches;
DROP TABLE companies_house_searches;
