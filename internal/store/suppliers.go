package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

// SupplierLink is a person's decision about a spend supplier and a
// directory organisation.
type SupplierLink struct {
	ID          int64
	SupplierKey string
	Name        string // the payee as written, when known
	OrgID       int64
	OrgName     string
	Decision    string // confirmed | rejected
	Score       float64
	DecidedBy   string
	DecidedAt   time.Time
}

// SupplierLinks lists every standing decision, newest first.
func (s *Store) SupplierLinks(ctx context.Context) ([]SupplierLink, error) {
	rows, err := s.read(ctx, `SELECT l.id, l.supplier_key, l.supplier_name, l.org_id, o.legal_name, l.decision, l.score, COALESCE(u.name, ''), l.decided_at
		FROM supplier_links l JOIN organisations o ON o.id = l.org_id LEFT JOIN users u ON u.id = l.decided_by ORDER BY l.decided_at DESC, l.id DESC`)
	return collect("supplier links", rows, err, func(r *sql.Rows) (SupplierLink, error) {
		var l SupplierLink
		err := r.Scan(&l.ID, &l.SupplierKey, &l.Name, &l.OrgID, &l.OrgName, &l.Decision, &l.Score, &l.DecidedBy, &l.DecidedAt)
		return l, err
	})
}

// DecideSupplierLink records that supplierKey is (confirmed) or is not
// (rejected) the organisation, with an audit event in the same transaction.
// A supplier can be confirmed as only one organisation.
func (s *Store) DecideSupplierLink(ctx context.Context, actor auth.Actor, supplierKey, supplierName string, orgID int64, decision string, score float64) (int64, error) {
	if decision != "confirmed" && decision != "rejected" {
		return 0, fmt.Errorf("decide supplier link: %w", problem.Field("decision", "Choose confirm or reject"))
	}
	if supplierKey == "" || supplierKey == "redacted" {
		return 0, fmt.Errorf("decide supplier link: %w", problem.Field("key", "Choose a supplier"))
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var by any
		if actor.ID() != 0 {
			by = actor.ID()
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, orgID).Scan(&n); err != nil {
			return fmt.Errorf("decide supplier link: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("decide supplier link: organisation %d: %w", orgID, problem.ErrNotFound)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO supplier_links (supplier_key, supplier_name, org_id, decision, score, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			supplierKey, supplierName, orgID, decision, score, by, time.Now().UTC()).Scan(&id)
		if isUnique(err) {
			return fmt.Errorf("decide supplier link: %w: this supplier already has a decision; undo it first", problem.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("decide supplier link: %w", err)
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "supplier." + decision, ObjectType: "supplier_link", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(nil, map[string]any{"supplier_key": supplierKey, "org_id": orgID, "decision": decision, "score": score})})
	})
	return id, err
}

// UndoSupplierLink removes a decision (an unmerge when it was a
// confirmation); the audit event keeps what it was.
func (s *Store) UndoSupplierLink(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var key, decision string
		var orgID int64
		err := tx.QueryRowContext(ctx, `SELECT supplier_key, org_id, decision FROM supplier_links WHERE id = $1`, id).Scan(&key, &orgID, &decision)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("undo supplier link %d: %w", id, problem.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("undo supplier link %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM supplier_links WHERE id = $1`, id); err != nil {
			return fmt.Errorf("undo supplier link %d: %w", id, err)
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "supplier.undo", ObjectType: "supplier_link", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(map[string]any{"supplier_key": key, "org_id": orgID, "decision": decision}, nil)})
	})
}

// confirmedLinks maps organisation ids to the supplier keys confirmed as
// them.
func (s *Store) confirmedLinks(ctx context.Context) (map[int64][]string, error) {
	rows, err := s.read(ctx, `SELECT org_id, supplier_key FROM supplier_links WHERE decision = 'confirmed' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("confirmed supplier links: %w", wrapConn(err))
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, err
		}
		out[id] = append(out[id], key)
	}
	return out, rows.Err()
}
