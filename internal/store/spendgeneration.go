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
