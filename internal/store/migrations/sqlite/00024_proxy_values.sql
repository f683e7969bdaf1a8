-- +goose Up
-- Proxy values as first-class data: each edition of a source (the GMCA Unit
-- Cost Database v1.4, the DESNZ carbon values, a licensee's TOMs) with its
-- provenance, and its unit costs, each in its own price year. Editions of
-- a source live side by side and are never changed once loaded (the
-- fingerprint makes a re-import of the same edition a no-op).
CREATE TABLE proxy_sources (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    publisher TEXT NOT NULL,
    edition TEXT NOT NULL,
    licence TEXT NOT NULL,
    attribution TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    licensed_only BOOLEAN NOT NULL DEFAULT FALSE,
    built_in BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (name, edition)
);
CREATE TABLE proxy_unit_costs (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES proxy_sources(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    theme TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    unit TEXT NOT NULL,
    pence INTEGER NOT NULL,
    price_year TEXT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',
    agency_detail TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    UNIQUE (source_id, code)
);
-- Price indexes (such as the GDP deflator) that move values between price
-- years; index values are exact decimals kept as text.
CREATE TABLE price_indexes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    published TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (name, published)
);
CREATE TABLE price_index_years (
    index_id INTEGER NOT NULL REFERENCES price_indexes(id),
    price_year TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (index_id, price_year)
);
-- A framework measure's links to unit costs, each with its rationale;
-- a published edition's links are frozen with it.
CREATE TABLE measure_proxy_links (
    measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    unit_cost_id INTEGER NOT NULL REFERENCES proxy_unit_costs(id),
    rationale TEXT NOT NULL,
    PRIMARY KEY (measure_id, unit_cost_id)
);
CREATE INDEX measure_proxy_links_unit_cost ON measure_proxy_links (unit_cost_id);
-- A tender's monetised values may be moved into one year's prices: the
-- index (name, source, release, target year and each year's value) is
-- copied onto the tender as JSON, so its evaluation never changes when a
-- newer release of the index is loaded.
ALTER TABLE tenders ADD COLUMN uplift TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tenders DROP COLUMN uplift;
DROP TABLE measure_proxy_links;
DROP TABLE price_index_years;
DROP TABLE price_indexes;
DROP TABLE proxy_unit_costs;
DROP TABLE proxy_sources;
