-- +goose Up
-- The rollups become multisets of partial sums: an import appends its
-- sums (a row per group each time it writes them) and every query adds
-- rows up, so no import updates a row in place and the tables need no
-- unique key, only (buyer, month) to find rows. A unique key on the five
-- grouping columns had been the largest single cost of an import.
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
    payments INTEGER NOT NULL
);
INSERT INTO spend_rollup_new SELECT buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments FROM spend_rollup;
DROP TABLE spend_rollup;
ALTER TABLE spend_rollup_new RENAME TO spend_rollup;
CREATE INDEX spend_rollup_buyer_month ON spend_rollup (buyer_org_id, month);
CREATE TABLE spend_rollup_supplier_new (
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence INTEGER NOT NULL,
    payments INTEGER NOT NULL
);
INSERT INTO spend_rollup_supplier_new SELECT buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments FROM spend_rollup_supplier;
DROP TABLE spend_rollup_supplier;
ALTER TABLE spend_rollup_supplier_new RENAME TO spend_rollup_supplier;
CREATE INDEX spend_rollup_supplier_buyer_month ON spend_rollup_supplier (buyer_org_id, month);
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
INSERT INTO spend_rollup_old SELECT buyer_org_id, month, supplier_name, redacted, service, expense_type, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
FROM spend_rollup GROUP BY buyer_org_id, month, supplier_name, redacted, service, expense_type;
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
INSERT INTO spend_rollup_supplier_old SELECT buyer_org_id, month, supplier_name, redacted, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
FROM spend_rollup_supplier GROUP BY buyer_org_id, month, supplier_name, redacted;
DROP TABLE spend_rollup_supplier;
ALTER TABLE spend_rollup_supplier_old RENAME TO spend_rollup_supplier;
CREATE INDEX spend_rollup_supplier_month ON spend_rollup_supplier (month);
