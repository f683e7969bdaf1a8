-- +goose Up
-- Payments in blocks: one row holds up to ~7 KB of a buyer's payments to
-- one payee spelling in one month, encoded (see store/spendblocks.go).
-- Migration 20, in Go, moves the payments already stored into blocks.
CREATE TABLE spend_blocks (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    run_id INTEGER NOT NULL REFERENCES spend_runs(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    payments INTEGER NOT NULL,
    net_pence INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX spend_blocks_month ON spend_blocks(month, buyer_org_id);
CREATE INDEX spend_blocks_supplier ON spend_blocks(buyer_org_id, supplier_name, month);

-- +goose Down
DROP TABLE spend_blocks;
