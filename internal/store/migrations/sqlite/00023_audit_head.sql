-- +goose Up
-- The audit chain's head (its newest event's sequence and hash), signed
-- with the audit key, is kept outside the table it protects and rewritten
-- in the same transaction as every event, so deleting the newest events
-- is seen by 'svhub audit verify'. An existing chain starts with an
-- unsigned head at its newest event; the next event signs it.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    mac TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, at, mac)
SELECT 1, seq, hash, at, '' FROM audit_events ORDER BY seq DESC LIMIT 1;

-- +goose Down
DROP TABLE audit_head;
