-- +goose Up
-- Gates that check (issue 17 part 2): an accreditation counts toward a
-- tender's pass/fail gate and the kite mark only once a hub administrator
-- has verified it with evidence (a link to the document or register
-- entry), the date it was checked and the date the check runs out. A
-- buyer may override a gate flag for one bid with a reason (audited).
ALTER TABLE accreditations ADD COLUMN verified_evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE accreditations ADD COLUMN verified_on TEXT NOT NULL DEFAULT '';
ALTER TABLE accreditations ADD COLUMN verified_until TEXT NOT NULL DEFAULT '';
ALTER TABLE accreditations ADD COLUMN verified_by TEXT NOT NULL DEFAULT '';
CREATE TABLE gate_overrides (
    tender_id BIGINT NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    gate TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tender_id, org_id, gate)
);

-- +goose Down
DROP TABLE gate_overrides;
ALTER TABLE accreditations DROP COLUMN verified_by;
ALTER TABLE accreditations DROP COLUMN verified_until;
ALTER TABLE accreditations DROP COLUMN verified_on;
ALTER TABLE accreditations DROP COLUMN verified_evidence;
