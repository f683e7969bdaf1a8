-- +goose Up
-- The Social Value Pledge (versioned text, signatures, yearly reports),
-- social value champions, and relationships organisations declare for the
-- anchors network (the rest of the network is derived from contracts,
-- brokerage, fund partnerships and shared members).
CREATE TABLE pledge_versions (
    version INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);
INSERT INTO pledge_versions (version, text, published_at) VALUES (1, 'We will use our spending, employment and influence to improve life in Greater Manchester: paying fairly, buying locally where we can, creating opportunities for people furthest from work, cutting our carbon, and working with the community and voluntary sector. We will say each year what we have done.', CURRENT_TIMESTAMP);
CREATE TABLE pledges (
    org_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    version INTEGER NOT NULL REFERENCES pledge_versions(version),
    priorities TEXT NOT NULL DEFAULT '',
    signed_by INTEGER REFERENCES users(id),
    signed_at TIMESTAMP NOT NULL
);
CREATE TABLE pledge_reports (
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, year)
);
CREATE TABLE champions (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    consent BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE org_relationships (
    id INTEGER PRIMARY KEY,
    from_org INTEGER NOT NULL REFERENCES organisations(id),
    to_org INTEGER NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    since TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE org_relationships;
DROP TABLE champions;
DROP TABLE pledge_reports;
DROP TABLE pledges;
DROP TABLE pledge_versions;
