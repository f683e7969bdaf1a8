-- +goose Up
-- The Hub's brokerage: needs (asks), offers, matches between them, the
-- conversation of an accepted match, and both sides' delivery confirmations.
CREATE TABLE hub_needs (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    priorities TEXT NOT NULL DEFAULT '',
    area_code TEXT NOT NULL DEFAULT '',
    by_date TEXT NOT NULL DEFAULT '',
    recurring BOOLEAN NOT NULL DEFAULT FALSE,
    size BIGINT NOT NULL,
    beneficiaries TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    top_challenge BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    moderated_by INTEGER REFERENCES users(id),
    moderated_at TIMESTAMP
);
CREATE INDEX hub_needs_status ON hub_needs (status, kind);
CREATE TABLE hub_offers (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    skills TEXT NOT NULL DEFAULT '',
    priorities TEXT NOT NULL DEFAULT '',
    area_code TEXT NOT NULL DEFAULT '',
    from_date TEXT NOT NULL DEFAULT '',
    to_date TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    commitment_id INTEGER REFERENCES commitments(id),
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX hub_offers_status ON hub_offers (status, kind);
CREATE TABLE hub_matches (
    id INTEGER PRIMARY KEY,
    need_id INTEGER NOT NULL REFERENCES hub_needs(id),
    offer_id INTEGER NOT NULL REFERENCES hub_offers(id),
    quantity BIGINT NOT NULL,
    proposed_by_org INTEGER NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    score DOUBLE PRECISION NOT NULL DEFAULT 0,
    need_confirm BIGINT NOT NULL DEFAULT 0,
    offer_confirm BIGINT NOT NULL DEFAULT 0,
    delivered_on TEXT NOT NULL DEFAULT '',
    delivery_line_id INTEGER REFERENCES delivery_lines(id),
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX hub_matches_need ON hub_matches (need_id);
CREATE INDEX hub_matches_offer ON hub_matches (offer_id);
CREATE TABLE hub_messages (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES hub_matches(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    user_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE hub_messages;
DROP TABLE hub_matches;
DROP TABLE hub_offers;
DROP TABLE hub_needs;
