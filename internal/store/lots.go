package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

// Lots (migration 46): a lot is a tenders row whose parent_id is its
// container (see internal/tenders/lots.go). The container's value is kept
// as the sum of its lots, and its deadline and procedure are copied onto
// its lots, in the same transaction as each change.

// CreateLot adds a lot to a draft tender: the next lot number, its own
// sealing key and model, the container's procurement-level facts.
func (s *Store) CreateLot(ctx context.Context, actor auth.Actor, parentID int64, l tenders.Tender, wrap func(id int64) []byte, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		l := l // the caller's lot on every attempt (tx may run this again)
		c, err := scanTender(tx.QueryRowContext(ctx, `SELECT `+tenderCols+` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE t.id = $1`, parentID))
		if err != nil {
			return notFound(err, "add lot")
		}
		if err := c.CanAddLot(); err != nil {
			return err
		}
		l = c.Lot(l)
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(lot_number), 0) + 1 FROM tenders WHERE parent_id = $1`, parentID).Scan(&l.LotNumber); err != nil {
			return fmt.Errorf("add lot: %w", err)
		}
		if id, err = insertTender(ctx, tx, actor, l, wrap, now); err != nil {
			return err
		}
		if err := syncLots(ctx, tx, id, parentID); err != nil {
			return err
		}
		sum := tenderSummary(l)
		sum["lot"], sum["lot_number"] = id, l.LotNumber
		return s.record(ctx, tx, tenderEvent(actor, "tender.lot.create", parentID, nil, sum))
	})
	return id, err
}

// Lots lists a tender's lots in lot order, without their models. A
// published lot past its deadline is reported closed.
func (s *Store) Lots(ctx context.Context, parentID int64, now time.Time) ([]tenders.Tender, error) {
	ls, err := query(ctx, s, "lots", func(r *sql.Rows) (tenders.Tender, error) { return scanTender(r) },
		`SELECT `+tenderCols+` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE t.parent_id = $1 ORDER BY t.lot_number`, parentID)
	for i := range ls {
		ls[i] = closeIfDue(ls[i], now)
	}
	return ls, err
}

// syncLots keeps a procurement consistent after tender id changed: a
// lot's container takes the sum of its lots as its value; a container's
// lots take its deadline and procedure, and it takes their sum.
func syncLots(ctx context.Context, tx *sql.Tx, id, parent int64) error {
	container := parent
	if parent == 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenders WHERE parent_id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("lots: %w", err)
		}
		if n == 0 {
			return nil
		}
		container = id
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET deadline = (SELECT c.deadline FROM tenders c WHERE c.id = $1),
procedure_type = (SELECT c.procedure_type FROM tenders c WHERE c.id = $1), contract_type = (SELECT c.contract_type FROM tenders c WHERE c.id = $1),
direct_ground = (SELECT c.direct_ground FROM tenders c WHERE c.id = $1), direct_reason = (SELECT c.direct_reason FROM tenders c WHERE c.id = $1),
planned_notice = (SELECT c.planned_notice FROM tenders c WHERE c.id = $1) WHERE parent_id = $1`, id); err != nil {
			return fmt.Errorf("lots: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tenders SET value_pence = (SELECT COALESCE(SUM(l.value_pence), 0) FROM tenders l WHERE l.parent_id = $1) WHERE id = $1`, container); err != nil {
		return fmt.Errorf("lots: %w", err)
	}
	return nil
}

// moveLots moves a container's lots with it (publishing publishes them
// with the same deadline; cancelling cancels those not yet awarded) and
// refuses to publish a lot on its own or a container with one lot.
func moveLots(ctx context.Context, tx *sql.Tx, id int64, to string, now time.Time) error {
	var parent int64
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(parent_id, 0), (SELECT COUNT(*) FROM tenders l WHERE l.parent_id = t.id) FROM tenders t WHERE t.id = $1`, id).Scan(&parent, &n); err != nil {
		return fmt.Errorf("lots: %w", err)
	}
	switch {
	case parent != 0 && to == tenders.Published:
		return fmt.Errorf("a lot is published with its tender: publish tender %d: %w", parent, problem.ErrConflict)
	case n == 0:
		return nil
	case to == tenders.Published:
		if n < tenders.MinLots {
			return problem.Field("lots", "A tender divided into lots needs at least %d lots; it has %d", tenders.MinLots, n)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET status = $1, published_at = $2 WHERE parent_id = $3 AND status = $4`, tenders.Published, now.UTC(), id, tenders.Draft); err != nil {
			return fmt.Errorf("publish lots: %w", err)
		}
	case to == tenders.Cancelled:
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET status = $1 WHERE parent_id = $2 AND status <> $3 AND status <> $1`, tenders.Cancelled, id, tenders.Awarded); err != nil {
			return fmt.Errorf("cancel lots: %w", err)
		}
	}
	return nil
}
