-- +goose Up
CREATE TABLE priority_rounds (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    explanation TEXT NOT NULL,
    framework_id INTEGER NOT NULL REFERENCES frameworks(id),
    scope_district TEXT NOT NULL DEFAULT '',
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    owner_org_id INTEGER REFERENCES organisations(id),
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE round_priorities (
    round_id INTEGER NOT NULL REFERENCES priority_rounds(id) ON DELETE CASCADE,
    priority_id INTEGER NOT NULL REFERENCES priorities(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (round_id, priority_id)
);
CREATE TABLE ballots (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES priority_rounds(id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    workshop_org_id INTEGER REFERENCES organisations(id),
    postcode TEXT NOT NULL DEFAULT '',
    district_code TEXT NOT NULL DEFAULT '',
    ward_code TEXT NOT NULL DEFAULT '',
    imd_decile INTEGER NOT NULL DEFAULT 0,
    comment TEXT NOT NULL DEFAULT '',
    comment_status TEXT NOT NULL DEFAULT 'none',
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, voter_key)
);
CREATE TABLE ballot_points (
    ballot_id INTEGER NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    priority_id INTEGER NOT NULL REFERENCES priorities(id),
    points INTEGER NOT NULL,
    PRIMARY KEY (ballot_id, priority_id)
);
-- Optional answers, given only with consent, kept apart from the ballot row
-- (which carries the voter key) and never exported.
CREATE TABLE ballot_demographics (
    ballot_id INTEGER PRIMARY KEY REFERENCES ballots(id) ON DELETE CASCADE,
    age_band TEXT NOT NULL DEFAULT '',
    disability TEXT NOT NULL DEFAULT '',
    ethnicity TEXT NOT NULL DEFAULT '',
    employment TEXT NOT NULL DEFAULT ''
);
CREATE TABLE ballot_codes (
    code_hash TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES priority_rounds(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE TABLE people_weights (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL UNIQUE REFERENCES priority_rounds(id),
    method TEXT NOT NULL,
    ballot_count INTEGER NOT NULL,
    weights TEXT NOT NULL,
    results TEXT NOT NULL,
    export_csv TEXT NOT NULL,
    export_sha256 TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE people_weights;
DROP TABLE ballot_codes;
DROP TABLE ballot_demographics;
DROP TABLE ballot_points;
DROP TABLE ballots;
DROP TABLE round_priorities;
DROP TABLE priority_rounds;
