-- +goose Up
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    email_verified_at TIMESTAMP,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    postcode TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    subkind TEXT NOT NULL DEFAULT '',
    legal_name TEXT NOT NULL,
    trading_names TEXT NOT NULL DEFAULT '',
    company_number TEXT NOT NULL DEFAULT '',
    charity_number TEXT NOT NULL DEFAULT '',
    vat_number TEXT NOT NULL DEFAULT '',
    size TEXT NOT NULL DEFAULT '',
    anchor BOOLEAN NOT NULL DEFAULT FALSE,
    sic_codes TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_kind ON organisations(kind);
CREATE TABLE sites (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL,
    district_code TEXT NOT NULL DEFAULT '',
    ward_code TEXT NOT NULL DEFAULT '',
    lsoa_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sites_org ON sites(org_id);
CREATE TABLE accreditations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    evidence_url TEXT NOT NULL DEFAULT '',
    awarded_on TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    target_year INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX accreditations_org ON accreditations(org_id);
CREATE TABLE memberships (
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, user_id, role)
);
CREATE INDEX memberships_user ON memberships(user_id);
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP
);
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_object ON audit_events(object_type, object_id);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE frameworks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    publisher TEXT NOT NULL,
    edition TEXT NOT NULL,
    licence TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (name, edition)
);
CREATE TABLE priorities (
    id INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (framework_id, code)
);
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    priority_id INTEGER NOT NULL REFERENCES priorities(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    title TEXT NOT NULL
);
CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    outcome_id INTEGER NOT NULL REFERENCES outcomes(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    wording TEXT NOT NULL,
    unit TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    record_only BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (framework_id, code)
);
CREATE TABLE proxy_values (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    pence_per_unit INTEGER NOT NULL,
    price_year INTEGER NOT NULL,
    source TEXT NOT NULL,
    licence TEXT NOT NULL,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT ''
);
CREATE TABLE geo_districts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL
);
CREATE TABLE geo_wards (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    district_code TEXT NOT NULL REFERENCES geo_districts(code)
);
CREATE TABLE geo_lsoas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ward_code TEXT NOT NULL,
    ward_name TEXT NOT NULL,
    district_code TEXT NOT NULL REFERENCES geo_districts(code),
    imd_rank INTEGER NOT NULL,
    imd_decile INTEGER NOT NULL
);
CREATE TABLE geo_postcodes (
    postcode TEXT PRIMARY KEY,
    outward TEXT NOT NULL,
    district_code TEXT NOT NULL REFERENCES geo_districts(code),
    ward_code TEXT NOT NULL DEFAULT '',
    lsoa_code TEXT NOT NULL DEFAULT '',
    lsoa_source TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL
);
CREATE INDEX geo_postcodes_outward ON geo_postcodes(outward);
CREATE TABLE geo_layers (
    name TEXT PRIMARY KEY,
    geojson TEXT NOT NULL
);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    run_after TIMESTAMP NOT NULL,
    locked_by TEXT NOT NULL DEFAULT '',
    locked_until TIMESTAMP,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    finished_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX jobs_ready ON jobs(status, run_after);

-- +goose Down
DROP TABLE jobs;
DROP TABLE geo_layers;
DROP TABLE geo_postcodes;
DROP TABLE geo_lsoas;
DROP TABLE geo_wards;
DROP TABLE geo_districts;
DROP TABLE proxy_values;
DROP TABLE measures;
DROP TABLE outcomes;
DROP TABLE priorities;
DROP TABLE frameworks;
DROP TABLE outbox;
DROP TABLE audit_events;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE accreditations;
DROP TABLE sites;
DROP TABLE organisations;
DROP TABLE api_tokens;
DROP TABLE login_failures;
DROP TABLE user_tokens;
DROP TABLE sessions;
DROP TABLE users;
