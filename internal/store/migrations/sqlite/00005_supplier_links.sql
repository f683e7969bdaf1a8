-- +goose Up
-- A person's decision that a spend supplier (by normalised name) is, or is
-- not, a directory organisation. Undoing a decision deletes its row; the
-- audit chain keeps the history.
CREATE TABLE supplier_links (
    id INTEGER PRIMARY KEY,
    supplier_key TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    score REAL NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP NOT NULL,
    UNIQUE (supplier_key, org_id)
);
CREATE UNIQUE INDEX supplier_links_one_confirmed ON supplier_links (supplier_key) WHERE decision = 'confirmed';

-- +goose Down
DROP TABLE supplier_links;
