package store

import (
	"context"
	"database/sql"

	"github.com/svhub/svhub/internal/audit"
)

// SetTxAttemptsForTest sets how many attempts tx makes (1: no retry).
func SetTxAttemptsForTest(s *Store, n int) { s.txAttempts = n }

// TxForTest runs fn through the store's transaction helper; fn may append
// an audit event with the record function it is given, as store methods do.
func TxForTest(ctx context.Context, s *Store, fn func(tx *sql.Tx, record func(audit.Event) error) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return fn(tx, func(e audit.Event) error { return s.record(ctx, tx, e) })
	})
}
