package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

// SpendUploadMapping is the status of an upload waiting for an officer
// to choose its columns.
const SpendUploadMapping = "mapping"

// SaveSpendLayout remembers the columns an officer chose (field → the
// file's header name) for one buyer's file layout (spend.LayoutSignature
// of its header), replacing an earlier choice, audited in the same
// transaction. The next file with that layout is read with it.
func (s *Store) SaveSpendLayout(ctx context.Context, actor auth.Actor, buyerID int64, signature string, mapping map[string]string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.saveSpendLayout(ctx, tx, actor, buyerID, signature, mapping) })
}

// MapSpendUpload remembers the columns chosen for an upload waiting for
// them and queues its import again, in one transaction; an upload not
// waiting for columns is a conflict.
func (s *Store) MapSpendUpload(ctx context.Context, actor auth.Actor, uploadID int64, signature string, mapping map[string]string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var buyerID int64
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT buyer_org_id, status FROM spend_uploads WHERE id = $1`, uploadID).Scan(&buyerID, &status); err != nil {
			return notFound(err, "spend upload")
		}
		if status != SpendUploadMapping {
			return fmt.Errorf("spend upload %d is %s, not waiting for its columns: %w", uploadID, status, problem.ErrConflict)
		}
		if err := s.saveSpendLayout(ctx, tx, actor, buyerID, signature, mapping); err != nil {
			return err
		}
		now := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE spend_uploads SET status = 'queued', detail = 'Columns chosen; waiting to import' WHERE id = $1`, uploadID); err != nil {
			return fmt.Errorf("spend upload: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, payload, status, run_after, created_at) VALUES ($1, $2, 'queued', $3, $3)`, SpendImportJob, strconv.FormatInt(uploadID, 10), now); err != nil {
			return fmt.Errorf("queue import: %w", err)
		}
		return nil
	})
}

func (s *Store) saveSpendLayout(ctx context.Context, tx *sql.Tx, actor auth.Actor, buyerID int64, signature string, mapping map[string]string) error {
	if signature == "" || len(mapping) == 0 {
		return errors.New("spend layout: no header or no columns chosen")
	}
	body, err := json.Marshal(mapping)
	if err != nil {
		return err
	}
	var before string
	err = tx.QueryRowContext(ctx, `SELECT mapping FROM spend_layouts WHERE buyer_org_id = $1 AND signature = $2`, buyerID, signature).Scan(&before)
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
	return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "spend.layout", ObjectType: "organisation", ObjectID: strconv.FormatInt(buyerID, 10),
		Summary: audit.Summary(map[string]any{"columns": was}, map[string]any{"layout": signature, "columns": mapping})})
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
