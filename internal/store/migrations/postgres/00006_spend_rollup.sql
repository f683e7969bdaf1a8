-- +goose Up
-- Spend summed by buyer, month, payee spelling, service area and category,
-- kept in the same transaction as each import so that reports over whole
-- months never scan raw payments.
CREATE TABLE spend_rollup (
    buyer_org_id BIGINT NOT NULL REFERENCES organisations(id),
    month TEXT NOT NULL,
    supplier_name TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    service TEXT NOT NULL,
    expense_type TEXT NOT NULL,
    vat_number TEXT NOT NULL,
    company_number TEXT NOT NULL,
    net_pence BIGINT NOT NULL,
    payments INTEGER NOT NULL,
    PRIMARY KEY (buyer_org_id, month, supplier_name, redacted, service, expense_type)
);
INSERT INTO spend_rollup (buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments)
SELECT buyer_org_id, SUBSTR(paid_on, 1, 7), supplier_name, redacted, service, expense_type, MAX(vat_number), MAX(company_number), SUM(net_pence), COUNT(*)
FROM spend_payments GROUP BY buyer_org_id, SUBSTR(paid_on, 1, 7), supplier_name, redacted, service, expense_type;

-- +goose Down
DROP TABLE spend_rollup;
