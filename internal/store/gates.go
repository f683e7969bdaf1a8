package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/tenders"
)

// VerifyAccreditation records a hub administrator's or an accrediting
// body's check of accreditation id of orgID (clearing any rejection),
// audited in the same transaction.
func (s *Store) VerifyAccreditation(ctx context.Context, actor auth.Actor, orgID, id int64, v orgs.Verification) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var kind string
		err := tx.QueryRowContext(ctx, `UPDATE accreditations SET verified_evidence = $1, verified_on = $2, verified_until = $3, verified_by = $4, verified_body = $5, rejected_on = '', rejected_reason = '', rejected_by = '' WHERE id = $6 AND org_id = $7 RETURNING kind`,
			v.Evidence, v.On, v.Until, v.By, v.Body, id, orgID).Scan(&kind)
		if err != nil {
			return notFound(err, "verify accreditation")
		}
		after := map[string]string{"kind": kind, "evidence": v.Evidence, "checked": v.On, "until": v.Until}
		if v.Body != "" {
			after["accrediting_body"] = v.Body
		}
		// The document checked replaces the last one; a verification
		// without one leaves none.
		if d := v.Document; d != nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO accreditation_files (accreditation_id, name, content_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (accreditation_id) DO UPDATE SET name = excluded.name, content_type = excluded.content_type, size = excluded.size, sha256 = excluded.sha256, content = excluded.content`,
				id, d.Name, d.Type, d.Size, d.SHA256, d.Content)
			after["document"], after["document_sha256"] = d.Name, d.SHA256
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM accreditation_files WHERE accreditation_id = $1`, id)
		}
		if err != nil {
			return fmt.Errorf("accreditation document: %w", wrapConn(err))
		}
		return s.record(ctx, tx, orgEvent(actor, "organisation.accreditation.verify", orgID, nil, after))
	})
}

// VerifiedAccreditations gives, for each of orgIDs, the accreditation
// kinds whose verification stands on today (YYYY-MM-DD).
func (s *Store) VerifiedAccreditations(ctx context.Context, orgIDs []int64, today string) (map[int64]map[string]bool, error) {
	out := map[int64]map[string]bool{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	in, args := placeholders(2, len(orgIDs)), make([]any, 0, len(orgIDs)+1)
	args = append(args, today)
	for _, id := range orgIDs {
		args = append(args, id)
	}
	type row struct {
		org  int64
		kind string
	}
	rows, err := query(ctx, s, "verified accreditations", func(r *sql.Rows) (row, error) {
		var x row
		return x, r.Scan(&x.org, &x.kind)
	}, `SELECT org_id, kind FROM accreditations WHERE verified_on <> '' AND verified_until >= $1 AND (expires_on = '' OR expires_on >= $1) AND org_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	for _, x := range rows {
		if out[x.org] == nil {
			out[x.org] = map[string]bool{}
		}
		out[x.org][x.kind] = true
	}
	return out, nil
}

// RecordGateOverride records a buyer's decision that a bid's unverified
// gate declaration stands, with the reason, audited in the same
// transaction. A second override of the same gate replaces the first.
func (s *Store) RecordGateOverride(ctx context.Context, actor auth.Actor, o tenders.GateOverride) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO gate_overrides (tender_id, org_id, gate, reason, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (tender_id, org_id, gate) DO UPDATE SET reason = excluded.reason, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
			o.TenderID, o.OrgID, o.Gate, o.Reason, actor.Label(), time.Now().UTC())
		if err != nil {
			return wrapConn(err)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.gate.override", o.TenderID, nil,
			map[string]any{"organisation": o.OrgID, "gate": o.Gate, "reason": o.Reason}))
	})
}

// GateOverrides lists the overrides recorded on a tender.
func (s *Store) GateOverrides(ctx context.Context, tenderID int64) ([]tenders.GateOverride, error) {
	return query(ctx, s, "gate overrides", func(r *sql.Rows) (tenders.GateOverride, error) {
		var o tenders.GateOverride
		return o, r.Scan(&o.TenderID, &o.OrgID, &o.Gate, &o.Reason, &o.By, &o.At)
	}, `SELECT tender_id, org_id, gate, reason, recorded_by, recorded_at FROM gate_overrides WHERE tender_id = $1 ORDER BY org_id, gate`, tenderID)
}
