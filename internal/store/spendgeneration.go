package store

import (
	"context"
	"database/sql"
	"fmt"
)

// hubSpendGeneration is the spend_generation row counting hub-wide changes
// that move every buyer's spend report (migration 45).
const hubSpendGeneration = 0

// SpendGeneration is the data generation of a buyer's spend report: it
// grows with every change that could move the report (the buyer's spend
// imports; the register, creditor lists, organisations, their sites and
// supplier matches for everyone). A report built at one generation holds
// until the number changes. One indexed read of two rows.
func (s *Store) SpendGeneration(ctx context.Context, buyerID int64) (int64, error) {
	var g int64
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(SUM(generation), 0) FROM spend_generation WHERE buyer_org_id IN ($1, $2)`, hubSpendGeneration, buyerID).Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("spend generation: %w", wrapConn(err))
	}
	return g, nil
}

// bumpSpendGeneration moves the generation of one buyer's report, or of
// every buyer's (hubSpendGeneration), inside the change's transaction.
func bumpSpendGeneration(ctx context.Context, tx *sql.Tx, buyerID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO spend_generation (buyer_org_id, generation) VALUES ($1, 1)
		ON CONFLICT (buyer_org_id) DO UPDATE SET generation = spend_generation.generation + 1`, buyerID)
	if err != nil {
		return fmt.Errorf("spend generation: %w", err)
	}
	return nil
}

// SpendGenerations is every buyer's data generation read at once: Hub
// counts the hub-wide changes, Buyers each buyer's own imports.
type SpendGenerations struct {
	Hub    int64
	Buyers map[int64]int64
}

// Of is one buyer's generation, as SpendGeneration gives it.
func (g SpendGenerations) Of(buyerID int64) int64 { return g.Hub + g.Buyers[buyerID] }

// All grows with every change to any buyer's report, so it moves when a
// body imports its first spend (the list of buyers changes).
func (g SpendGenerations) All() int64 {
	n := g.Hub
	for _, b := range g.Buyers {
		n += b
	}
	return n
}

// SpendGenerations reads every row of spend_generation (one per buyer that
// has imported, and the hub's): the one query a cached spend page makes.
func (s *Store) SpendGenerations(ctx context.Context) (SpendGenerations, error) {
	g := SpendGenerations{Buyers: map[int64]int64{}}
	rows, err := s.read(ctx, `SELECT buyer_org_id, generation FROM spend_generation`)
	if err != nil {
		return g, fmt.Errorf("spend generations: %w", wrapConn(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return g, fmt.Errorf("spend generations: %w", err)
		}
		if id == hubSpendGeneration {
			g.Hub = n
		} else {
			g.Buyers[id] = n
		}
	}
	return g, rows.Err()
}
