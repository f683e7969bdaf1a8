package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

// Accrediting bodies (issue 17 part 2): a hub administrator designates a
// directory organisation as the body of one accreditation scheme; its
// members then verify or reject that scheme's accreditations.

// DesignateAccreditingBody makes organisation orgID the accrediting body of
// scheme kind, replacing any earlier body, audited in the same transaction.
func (s *Store) DesignateAccreditingBody(ctx context.Context, actor auth.Actor, kind string, orgID int64) error {
	if !orgs.KnownAccreditationKind(kind) {
		var inv problem.Invalid
		inv.Add("body_kind", "Choose the accreditation scheme this organisation accredits")
		return inv.Err()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var before any
		var prev int64
		switch err := tx.QueryRowContext(ctx, `SELECT org_id FROM accrediting_bodies WHERE kind = $1`, kind).Scan(&prev); {
		case err == nil:
			if prev == orgID {
				return nil
			}
			before = map[string]any{"kind": kind, "organisation": prev}
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("accrediting body: %w", wrapConn(err))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO accrediting_bodies (kind, org_id, designated_by, designated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (kind) DO UPDATE SET org_id = excluded.org_id, designated_by = excluded.designated_by, designated_at = excluded.designated_at`,
			kind, orgID, actor.Label(), time.Now().UTC())
		if err != nil {
			return fmt.Errorf("designate accrediting body: %w", wrapConn(err))
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.accrediting_body.designate", orgID, before, map[string]any{"kind": kind, "organisation": orgID}))
	})
}

// RemoveAccreditingBody ends organisation orgID's designation as the body
// of scheme kind, audited. Verifications it made stand.
func (s *Store) RemoveAccreditingBody(ctx context.Context, actor auth.Actor, kind string, orgID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var k string
		if err := tx.QueryRowContext(ctx, `DELETE FROM accrediting_bodies WHERE kind = $1 AND org_id = $2 RETURNING kind`, kind, orgID).Scan(&k); err != nil {
			return notFound(err, "remove accrediting body")
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.accrediting_body.remove", orgID, map[string]any{"kind": kind, "organisation": orgID}, nil))
	})
}

// AccreditingBodies lists the designated bodies in scheme order.
func (s *Store) AccreditingBodies(ctx context.Context) ([]orgs.AccreditingBody, error) {
	out, err := query(ctx, s, "accrediting bodies", func(r *sql.Rows) (orgs.AccreditingBody, error) {
		var b orgs.AccreditingBody
		return b, r.Scan(&b.Kind, &b.OrgID, &b.OrgName, &b.OrgSlug, &b.DesignatedBy, &b.DesignatedAt)
	}, `SELECT b.kind, b.org_id, o.legal_name, o.slug, b.designated_by, b.designated_at FROM accrediting_bodies b JOIN organisations o ON o.id = b.org_id ORDER BY b.kind`)
	if err != nil {
		return nil, err
	}
	// Scheme order, as the forms list them.
	var sorted []orgs.AccreditingBody
	for _, k := range orgs.AccreditationKinds {
		for _, b := range out {
			if b.Kind == k.Value {
				sorted = append(sorted, b)
			}
		}
	}
	return sorted, nil
}

// ClaimedAccreditations lists every organisation's accreditations of
// scheme kind, unverified and rejected ones first, then by name.
func (s *Store) ClaimedAccreditations(ctx context.Context, kind string) ([]orgs.ClaimedAccreditation, error) {
	return query(ctx, s, "claimed accreditations", func(r *sql.Rows) (orgs.ClaimedAccreditation, error) {
		var c orgs.ClaimedAccreditation
		return c, r.Scan(&c.ID, &c.OrgID, &c.Kind, &c.Level, &c.EvidenceURL, &c.AwardedOn, &c.ExpiresOn, &c.TargetYear,
			&c.VerifiedEvidence, &c.VerifiedOn, &c.VerifiedUntil, &c.VerifiedBy, &c.VerifiedBody, &c.RejectedOn, &c.RejectedReason, &c.RejectedBy, &c.VerifiedDocument, &c.OrgName, &c.OrgSlug)
	}, `SELECT a.id, a.org_id, a.kind, a.level, a.evidence_url, a.awarded_on, a.expires_on, a.target_year,
	a.verified_evidence, a.verified_on, a.verified_until, a.verified_by, a.verified_body, a.rejected_on, a.rejected_reason, a.rejected_by,
	COALESCE((SELECT f.name FROM accreditation_files f WHERE f.accreditation_id = a.id), ''), o.legal_name, o.slug
	FROM accreditations a JOIN organisations o ON o.id = a.org_id WHERE a.kind = $1
	ORDER BY CASE WHEN a.verified_on = '' THEN 0 ELSE 1 END, o.legal_name, a.id`, kind)
}

// RejectAccreditation records that accreditation id of orgID is not borne
// out (clearing any verification), audited in the same transaction.
func (s *Store) RejectAccreditation(ctx context.Context, actor auth.Actor, orgID, id int64, rj orgs.Rejection) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, `UPDATE accreditations SET rejected_on = $1, rejected_reason = $2, rejected_by = $3, verified_evidence = '', verified_on = '', verified_until = '', verified_by = '', verified_body = '' WHERE id = $4 AND org_id = $5 RETURNING kind`,
			rj.On, rj.Reason, rj.Body, id, orgID).Scan(&kind)
		if err != nil {
			return notFound(err, "reject accreditation")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM accreditation_files WHERE accreditation_id = $1`, id); err != nil {
			return fmt.Errorf("reject accreditation: %w", wrapConn(err))
		}
		after := map[string]string{"kind": kind, "reason": rj.Reason, "on": rj.On}
		if rj.Body != "" {
			after["accrediting_body"] = rj.Body
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.accreditation.reject", orgID, nil, after))
	})
}

// AccreditationDocument returns the document checked when accreditation id
// of orgID was verified (problem.ErrNotFound when there is none).
func (s *Store) AccreditationDocument(ctx context.Context, orgID, id int64) (orgs.Document, error) {
	var d orgs.Document
	err := s.readRow(ctx, `SELECT f.name, f.content_type, f.size, f.sha256, f.content FROM accreditation_files f JOIN accreditations a ON a.id = f.accreditation_id WHERE a.id = $1 AND a.org_id = $2`, id, orgID).
		Scan(&d.Name, &d.Type, &d.Size, &d.SHA256, &d.Content)
	if err != nil {
		return d, notFound(err, "accreditation document")
	}
	return d, nil
}
