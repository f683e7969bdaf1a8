-- +goose Up
-- Procurement: tenders and their evaluation model, sealed bids (the body is
-- AES-GCM ciphertext under a per-tender key, itself stored only wrapped by
-- the hub's sealing key), marks, moderation, awards, contracts, delivery.
CREATE TABLE tenders (
    id INTEGER PRIMARY KEY,
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    cpv TEXT NOT NULL DEFAULT '',
    value_pence BIGINT NOT NULL,
    deadline TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    w_price INTEGER NOT NULL,
    w_quality INTEGER NOT NULL,
    w_sv INTEGER NOT NULL,
    sv_minimum INTEGER NOT NULL,
    alpha_percent INTEGER NOT NULL,
    method TEXT NOT NULL,
    framework_id INTEGER NOT NULL REFERENCES frameworks(id),
    weights_round_id INTEGER REFERENCES priority_rounds(id),
    gates TEXT NOT NULL DEFAULT '',
    reservation TEXT NOT NULL DEFAULT '',
    sealed_key BLOB NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    moderated_at TIMESTAMP
);
CREATE INDEX tenders_status ON tenders (status, deadline);
CREATE TABLE tender_criteria (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    weight INTEGER NOT NULL,
    descriptors TEXT NOT NULL
);
CREATE TABLE tender_measures (
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (tender_id, measure_id)
);
CREATE TABLE tender_documents (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE TABLE tender_questions (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    asker_org_id INTEGER NOT NULL REFERENCES organisations(id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    asked_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP
);
CREATE TABLE bids (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders(id),
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    version INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (tender_id, supplier_org_id, version)
);
-- Files attached to bid answers: content-addressed per bidder, sealed like
-- bid bodies; the bid's canonical JSON lists them by SHA-256.
CREATE TABLE bid_files (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders(id),
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    sha256 TEXT NOT NULL,
    sealed BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tender_id, supplier_org_id, sha256)
);
CREATE TABLE tender_evaluators (
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    assigned_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    PRIMARY KEY (tender_id, user_id)
);
CREATE TABLE evaluator_marks (
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    criterion TEXT NOT NULL,
    evaluator_id INTEGER NOT NULL REFERENCES users(id),
    mark INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tender_id, supplier_org_id, criterion, evaluator_id)
);
CREATE TABLE consensus_marks (
    tender_id INTEGER NOT NULL REFERENCES tenders(id) ON DELETE CASCADE,
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    criterion TEXT NOT NULL,
    mark TEXT NOT NULL,
    rationale TEXT NOT NULL,
    moderator_id INTEGER REFERENCES users(id),
    PRIMARY KEY (tender_id, supplier_org_id, criterion)
);
CREATE TABLE awards (
    tender_id INTEGER PRIMARY KEY REFERENCES tenders(id),
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    value_pence BIGINT NOT NULL,
    evaluation TEXT NOT NULL,
    rationale TEXT NOT NULL,
    standstill_end TEXT NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP NOT NULL
);
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL UNIQUE REFERENCES tenders(id),
    buyer_org_id INTEGER NOT NULL REFERENCES organisations(id),
    supplier_org_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    value_pence BIGINT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX contracts_buyer ON contracts (buyer_org_id);
CREATE INDEX contracts_supplier ON contracts (supplier_org_id);
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    quantity_milli BIGINT NOT NULL,
    due_date TEXT NOT NULL,
    area_code TEXT NOT NULL DEFAULT '',
    plan TEXT NOT NULL DEFAULT '',
    -- Running totals of the lines below, kept in the same transaction as
    -- each report and decision, so dashboards sum commitments, not lines.
    claimed_milli BIGINT NOT NULL DEFAULT 0,
    verified_milli BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX commitments_contract ON commitments (contract_id);
CREATE TABLE delivery_reports (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    submitted_at TIMESTAMP NOT NULL
);
CREATE TABLE delivery_lines (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES delivery_reports(id) ON DELETE CASCADE,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id),
    quantity_milli BIGINT NOT NULL,
    area_code TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL,
    attributable BOOLEAN NOT NULL,
    additional BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    buyer_note TEXT NOT NULL DEFAULT '',
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP
);
CREATE INDEX delivery_lines_commitment ON delivery_lines (commitment_id, status);
CREATE INDEX delivery_lines_report ON delivery_lines (report_id);
CREATE TABLE delivery_concerns (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES delivery_lines(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    responded_by INTEGER REFERENCES users(id),
    responded_at TIMESTAMP
);

-- +goose Down
DROP TABLE delivery_concerns;
DROP TABLE delivery_lines;
DROP TABLE delivery_reports;
DROP TABLE commitments;
DROP TABLE contracts;
DROP TABLE awards;
DROP TABLE consensus_marks;
DROP TABLE evaluator_marks;
DROP TABLE tender_evaluators;
DROP TABLE bid_files;
DROP TABLE bids;
DROP TABLE tender_questions;
DROP TABLE tender_documents;
DROP TABLE tender_measures;
DROP TABLE tender_criteria;
DROP TABLE tenders;
