-- +goose Up
-- The rollups become WITHOUT ROWID tables: each row lives in its primary
-- key's B-tree instead of a rowid table plus a separate key index, so an
-- import adds each group with one B-tree insert instead of two.
CREATE TABLE spend_rollup_new (
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    service TEXT NOT NULL,
    expense_type TEXT NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence INTEGER NOT NULL,
    payments INTEGER NOT NULL,
    PRIMARY KEY (buyer_org_id, month, supplier_name, redacted, service, expense_type)
) WITHOUT ROWID;
INSERT INTO spend_rollup_new SELECT buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments FROM spend_rollup;
DROP TABLE spend_rollup;
ALTER TABLE spend_rollup_new RENAME TO spend_rollup;
CREATE TABLE spend_rollup_supplier_new (
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence INTEGER NOT NULL,
    payments INTEGER NOT NULL,
    PRIMARY KEY (buyer_org_id, month, supplier_name, redacted)
) WITHOUT ROWID;
INSERT INTO spend_rollup_supplier_new SELECT buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments FROM spend_rollup_supplier;
DROP TABLE spend_rollup_supplier;
ALTER TABLE spend_rollup_supplier_new RENAME TO spend_rollup_supplier;
CREATE INDEX spend_rollup_supplier_month ON spend_rollup_supplier (month);

-- +goose Down
CREATE TABLE spend_rollup_old (
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    service TEXT NOT NULL,
    expense_type TEXT NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence INTEGER NOT NULL,
    payments INTEGER NOT NULL,
    PRIMARY KEY (buyer_org_id, month, supplier_name, redacted, service, expense_type)
);
INSERT INTO spend_rollup_old SELECT buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments FROM spend_rollup;
DROP TABLE spend_rollup;
ALTER TABLE spend_rollup_old RENAME TO spend_rollup;
CREATE TABLE spend_rollup_supplier_old (
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence INTEGER NOT NULL,
    payments INTEGER NOT NULL,
    PRIMARY KEY (buyer_org_id, month, supplier_name, redacted)
);
INSERT INTO spend_rollup_supplier_old SELECT buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments FROM spend_rollup_supplier;
DROP TABLE spend_rollup_supplier;
ALTER TABLE spend_rollup_supplier_old RENAME TO spend_rollup_supplier;
CREATE INDEX spend_rollup_supplier_month ON spend_rollup_supplier (month);
