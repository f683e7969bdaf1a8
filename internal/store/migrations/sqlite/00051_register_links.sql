-- +goose Up
-- A person's decision that a spend supplier (by normalised name) is, or is
-- not, a public register's entry (Companies House, Charity Commission),
-- proposed from a near name. Kept by the entry's register and number, which
-- stay the same when the register is imported again. A supplier is
-- confirmed as at most one organisation or entry (checked with
-- supplier_links in the deciding transaction).
CREATE TABLE register_links (
    id INTEGER PRIMARY KEY,
    supplier_key TEXT NOT NULL,
    supplier_name TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    number TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    score REAL NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP NOT NULL,
    UNIQUE (supplier_key, source, number)
);
CREATE UNIQUE INDEX register_links_one_confirmed ON register_links (supplier_key) WHERE decision = 'confirmed';

-- +goose Down
DROP TABLE register_links;
