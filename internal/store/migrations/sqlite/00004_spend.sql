-- +goose Up
CREATE TABLE spend_runs (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_imported INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    total_net_pence INTEGER NOT NULL,
    date_from TEXT NOT NULL,
    date_to TEXT NOT NULL,
    columns TEXT NOT NULL,
    date_order TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE spend_payments (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    run_id INTEGER NOT NULL REFERENCES spend_runs(id),
    payment_key TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    net_pence INTEGER NOT NULL,
    gross_pence INTEGER,
    transaction_no TEXT NOT NULL,
    supplier_id TEXT NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    postcode TEXT NOT NULL,
    service TEXT NOT NULL,
    expense_type TEXT NOT NULL,
    merchant TEXT NOT NULL,
    extra TEXT NOT NULL
);
CREATE INDEX spend_payments_key ON spend_payments(buyer_org_id, payment_key);
CREATE INDEX spend_payments_buyer_date ON spend_payments(buyer_org_id, paid_on);
CREATE TABLE spend_rejects (
    run_id INTEGER NOT NULL REFERENCES spend_runs(id),
    line INTEGER NOT NULL,
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL
);
CREATE INDEX spend_rejects_run ON spend_rejects(run_id, line);
-- Uploaded files wait here for the background import, so any node can run it.
CREATE TABLE spend_uploads (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    run_id INTEGER REFERENCES spend_runs(id),
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
-- Public registers (Charity Commission, Companies House) that enrich suppliers.
CREATE TABLE register_entries (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    number TEXT NOT NULL,
    company_number TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    postcode TEXT NOT NULL DEFAULT '',
    district_code TEXT NOT NULL DEFAULT '',
    imd_decile INTEGER NOT NULL DEFAULT 0,
    category TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    sic TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (source, number)
);

-- +goose Down
DROP TABLE register_entries;
DROP TABLE spend_uploads;
DROP TABLE spend_rejects;
DROP TABLE spend_payments;
DROP TABLE spend_runs;
