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

// SupplierLinks lists every standing decision, newest first. A decision
// about a register entry has a negative ID and OrgID (minus its link's
// and its entry's ids), as register entries have among organisations.
func (s *Store) SupplierLinks(ctx context.Context) ([]SupplierLink, error) {
	rows, err := s.read(ctx, `SELECT * FROM (SELECT l.id, l.supplier_key, l.supplier_name, l.org_id, o.legal_name, l.decision, l.score, COALESCE(u.name, '') AS by_name, l.decided_at
		FROM supplier_links l JOIN organisations o ON o.id = l.org_id LEFT JOIN users u ON u.id = l.decided_by
		UNION ALL SELECT -l.id, l.supplier_key, l.supplier_name, -e.id, e.name, l.decision, l.score, COALESCE(u.name, ''), l.decided_at
		FROM register_links l JOIN register_entries e ON e.source = l.source AND e.number = l.number LEFT JOIN users u ON u.id = l.decided_by) x
		ORDER BY decided_at DESC, id DESC`)
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
		table, ref := "supplier_links", "org_id"
		refs := []any{orgID}
		var n int
		if orgID < 0 {
			// A register entry (its organisation id is minus its entry id),
			// recorded by register and number.
			var source, number string
			err := tx.QueryRowContext(ctx, `SELECT source, number FROM register_entries WHERE id = $1`, -orgID).Scan(&source, &number)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("decide supplier link: register entry %d: %w", -orgID, problem.ErrNotFound)
			}
			if err != nil {
				return fmt.Errorf("decide supplier link: %w", err)
			}
			table, ref, refs = "register_links", "source, number", []any{source, number}
		} else if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, orgID).Scan(&n); err != nil {
			return fmt.Errorf("decide supplier link: %w", err)
		} else if n == 0 {
			return fmt.Errorf("decide supplier link: organisation %d: %w", orgID, problem.ErrNotFound)
		}
		if decision == "confirmed" {
			// One confirmation per supplier, across organisations and
			// register entries.
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM supplier_links WHERE supplier_key = $1 AND decision = 'confirmed') + (SELECT COUNT(*) FROM register_links WHERE supplier_key = $2 AND decision = 'confirmed')`, supplierKey, supplierKey).Scan(&n); err != nil {
				return fmt.Errorf("decide supplier link: %w", err)
			}
			if n > 0 {
				return fmt.Errorf("decide supplier link: %w: this supplier already has a decision; undo it first", problem.ErrConflict)
			}
		}
		args := append([]any{supplierKey, supplierName}, refs...)
		args = append(args, decision, score, by, time.Now().UTC())
		err := tx.QueryRowContext(ctx, `INSERT INTO `+table+` (supplier_key, supplier_name, `+ref+`, decision, score, decided_by, decided_at) VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&id)
		if orgID < 0 {
			id = -id
		}
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
// A negative id is a decision about a register entry (see SupplierLinks).
func (s *Store) UndoSupplierLink(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var key, decision string
		var orgID int64
		table, row := "supplier_links", id
		query := `SELECT supplier_key, org_id, decision FROM supplier_links WHERE id = $1`
		if id < 0 {
			table, row = "register_links", -id
			query = `SELECT l.supplier_key, -e.id, l.decision FROM register_links l JOIN register_entries e ON e.source = l.source AND e.number = l.number WHERE l.id = $1`
		}
		err := tx.QueryRowContext(ctx, query, row).Scan(&key, &orgID, &decision)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("undo supplier link %d: %w", id, problem.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("undo supplier link %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1`, row); err != nil {
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
