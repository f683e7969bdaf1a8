-- +goose Up
-- Verification by the accrediting body's own account (issue 17 part 2): a
-- hub administrator designates a directory organisation as the accrediting
-- body of a scheme (one body per scheme); its members may then verify or
-- reject that scheme's accreditations as a hub administrator can. An
-- accreditation keeps the name of the body that verified it (empty when
-- the hub did) and the last rejection, with its reason.
CREATE TABLE accrediting_bodies (
    kind TEXT PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    designated_by TEXT NOT NULL,
    designated_at TIMESTAMP NOT NULL
);
ALTER TABLE accreditations ADD COLUMN verified_body TEXT NOT NULL DEFAULT '';
ALTER TABLE accreditations ADD COLUMN rejected_on TEXT NOT NULL DEFAULT '';
ALTER TABLE accreditations ADD COLUMN rejected_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE accreditations ADD COLUMN rejected_by TEXT NOT NULL DEFAULT '';
-- The document a verifier checked (a certificate), kept beside the link:
-- one per accreditation, replaced by the next verification and removed by
-- a rejection.
CREATE TABLE accreditation_files (
    accreditation_id BIGINT PRIMARY KEY REFERENCES accreditations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL
);
-- Section 54 (issue 17 part 1): which row of the tendering period table
-- the buyer says applies ('' the usual one, 'urgency', 'light-touch') and
-- the buyer's reason, published on the tender notice.
ALTER TABLE tenders ADD COLUMN period_case TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN period_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tenders DROP COLUMN period_reason;
ALTER TABLE tenders DROP COLUMN period_case;
DROP TABLE accreditation_files;
ALTER TABLE accreditations DROP COLUMN rejected_by;
ALTER TABLE accreditations DROP COLUMN rejected_reason;
ALTER TABLE accreditations DROP COLUMN rejected_on;
ALTER TABLE accreditations DROP COLUMN verified_body;
DROP TABLE accrediting_bodies;
