package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
)

// SaveSpendLayout remembers the columns an officer chose (field → the
// file's header name) for one buyer's file layout (spend.LayoutSignature
// of its header), replacing an earlier choice, audited in the same
// transaction. The next file with that layout is read with it.
func (s *Store) SaveSpendLayout(ctx context.Context, actor auth.Actor, buyerID int64, signature string, mapping map[string]string) error {
	if signature == "" || len(mapping) == 0 {
		return errors.New("spend layout: no header or no columns chosen")
	}
	body, err := json.Marshal(mapping)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var before string
		err := tx.QueryRowContext(ctx, `SELECT mapping FROM spend_layouts WHERE buyer_org_id = $1 AND signature = $2`, buyerID, signature).Scan(&before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("spend layout: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO spend_layouts (buyer_org_id, signature, mapping, chosen_by, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (buyer_org_id, signature) DO UPDATE SET mapping = excluded.mapping, chosen_by = excluded.chosen_by, created_at = excluded.created_at`,
			buyerID, signature, string(body), actor.Label(), time.Now().UTC()); err != nil {
			return fmt.Errorf("spend layout: %w", err)
		}
		var was map[string]string
		if before != "" {
			_ = json.Unmarshal([]byte(before), &was)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "spend.layout", ObjectType: "organisation", ObjectID: fmt.Sprint(buyerID),
			Summary: audit.Summary(map[string]any{"columns": was}, map[string]any{"layout": signature, "columns": mapping})})
	})
}

// SpendLayout is the column mapping remembered for a buyer's file layout,
// or nil if none was chosen.
func (s *Store) SpendLayout(ctx context.Context, buyerID int64, signature string) (map[string]string, error) {
	var body string
	err := s.readRow(ctx, `SELECT mapping FROM spend_layouts WHERE buyer_org_id = $1 AND signature = $2`, buyerID, signature).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("spend layout: %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return nil, fmt.Errorf("spend layout: %w", err)
	}
	return m, nil
}
