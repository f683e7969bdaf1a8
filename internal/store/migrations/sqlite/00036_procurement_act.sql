-- +goose Up
-- The Procurement Act 2023 lifecycle (internal/tenders/act.go,
-- standstill.go; internal/contracts/kpi.go): a tender's procedure type,
-- contract type (for the threshold), a direct award's Schedule 5 ground and
-- explanation, the date of a planned procurement notice (which can shorten
-- the s.54 minimum tendering period) and the warning given when a
-- below-threshold tender was published with a period shorter than the
-- statutory minimum. A contract's standstill end (s.51), when it was
-- entered into, its contract details notice and its termination; its key
-- performance indicators (s.52) and their assessments (s.71); and every
-- notice the lifecycle publishes, with the facts it published.
ALTER TABLE tenders ADD COLUMN procedure_type TEXT NOT NULL DEFAULT 'open';
ALTER TABLE tenders ADD COLUMN contract_type TEXT NOT NULL DEFAULT 'services';
ALTER TABLE tenders ADD COLUMN direct_ground TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN direct_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN planned_notice TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN period_warning TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN standstill_end TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN entered_at TIMESTAMP;
ALTER TABLE contracts ADD COLUMN details_notice_at TIMESTAMP;
ALTER TABLE contracts ADD COLUMN terminated_at TIMESTAMP;
ALTER TABLE contracts ADD COLUMN terminated_reason TEXT NOT NULL DEFAULT '';
-- Contracts awarded before this migration were entered into at award.
UPDATE contracts SET entered_at = created_at;
CREATE TABLE contract_kpis (
    id INTEGER PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    measure TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX contract_kpis_contract ON contract_kpis (contract_id, position);
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    tender_id BIGINT NOT NULL REFERENCES tenders(id),
    contract_id BIGINT REFERENCES contracts(id),
    title TEXT NOT NULL,
    facts TEXT NOT NULL,
    published_by BIGINT REFERENCES users(id),
    published_at TIMESTAMP NOT NULL
);
CREATE INDEX notices_tender ON notices (tender_id, published_at);
CREATE INDEX notices_contract ON notices (contract_id, published_at);
CREATE TABLE kpi_assessments (
    id INTEGER PRIMARY KEY,
    kpi_id BIGINT NOT NULL REFERENCES contract_kpis(id) ON DELETE CASCADE,
    period_end TEXT NOT NULL,
    rating TEXT NOT NULL,
    note TEXT NOT NULL,
    notice_id BIGINT REFERENCES notices(id),
    assessed_by BIGINT REFERENCES users(id),
    assessed_at TIMESTAMP NOT NULL
);
CREATE INDEX kpi_assessments_kpi ON kpi_assessments (kpi_id, assessed_at);

-- +goose Down
DROP TABLE kpi_assessments;
DROP TABLE notices;
DROP TABLE contract_kpis;
ALTER TABLE contracts DROP COLUMN terminated_reason;
ALTER TABLE contracts DROP COLUMN terminated_at;
ALTER TABLE contracts DROP COLUMN details_notice_at;
ALTER TABLE contracts DROP COLUMN entered_at;
ALTER TABLE contracts DROP COLUMN standstill_end;
ALTER TABLE tenders DROP COLUMN period_warning;
ALTER TABLE tenders DROP COLUMN planned_notice;
ALTER TABLE tenders DROP COLUMN direct_reason;
ALTER TABLE tenders DROP COLUMN direct_ground;
ALTER TABLE tenders DROP COLUMN contract_type;
ALTER TABLE tenders DROP COLUMN procedure_type;
