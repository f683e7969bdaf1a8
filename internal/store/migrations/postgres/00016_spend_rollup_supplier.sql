-- +goose Up
-- A coarser rollup by buyer, month and payee only: reports without a
-- service or category filter read a quarter of the rows they read from
-- spend_rollup. Kept in the same transaction as each import.
CREATE TABLE spend_rollup_supplier (
    buyer_org_id BIGINT NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    PRIMARY KEY (buyer_org_id, month, supplier_name, redacted)
);
CREATE INDEX spend_rollup_supplier_month ON spend_rollup_supplier (month);
INSERT INTO spend_rollup_supplier (buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments)
SELECT buyer_org_id, month, supplier_name, redacted, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
FROM spend_rollup GROUP BY buyer_org_id, month, supplier_name, redacted;

-- +goose Down
DROP TABLE spend_rollup_supplier;
