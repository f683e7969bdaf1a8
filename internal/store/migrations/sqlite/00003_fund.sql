-- +goose Up
CREATE TABLE fund_rounds (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    budget_pence INTEGER NOT NULL,
    min_pence INTEGER NOT NULL DEFAULT 0,
    max_pence INTEGER NOT NULL DEFAULT 0,
    max_approvals INTEGER NOT NULL DEFAULT 0,
    rule TEXT NOT NULL,
    electorate TEXT NOT NULL DEFAULT 'residents',
    phase TEXT NOT NULL,
    proposals_until TIMESTAMP NOT NULL,
    voting_from TIMESTAMP NOT NULL,
    voting_until TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE fund_ledger (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    pence INTEGER NOT NULL,
    org_id INTEGER REFERENCES organisations(id),
    sector TEXT NOT NULL DEFAULT '',
    round_id INTEGER REFERENCES fund_rounds(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE fund_proposals (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES fund_rounds(id),
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    budget_pence INTEGER NOT NULL,
    priorities TEXT NOT NULL DEFAULT '',
    coproduction TEXT NOT NULL,
    systemic TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE fund_partners (
    proposal_id INTEGER NOT NULL REFERENCES fund_proposals(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (proposal_id, org_id)
);
CREATE TABLE fund_ballots (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES fund_rounds(id),
    voter_key TEXT NOT NULL,
    constituency TEXT NOT NULL DEFAULT 'residents',
    submitted_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, voter_key)
);
CREATE TABLE fund_approvals (
    ballot_id INTEGER NOT NULL REFERENCES fund_ballots(id) ON DELETE CASCADE,
    proposal_id INTEGER NOT NULL REFERENCES fund_proposals(id),
    PRIMARY KEY (ballot_id, proposal_id)
);
CREATE TABLE fund_results (
    round_id INTEGER PRIMARY KEY REFERENCES fund_rounds(id),
    rule TEXT NOT NULL,
    total_pence INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL
);
CREATE TABLE fund_updates (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES fund_proposals(id),
    percent INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE fund_updates;
DROP TABLE fund_results;
DROP TABLE fund_approvals;
DROP TABLE fund_ballots;
DROP TABLE fund_partners;
DROP TABLE fund_proposals;
DROP TABLE fund_ledger;
DROP TABLE fund_rounds;
