package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// On PostgreSQL two write transactions can wait on each other and one is
// aborted: a deadlock (40P01) or, at a stricter isolation level, a
// serialization failure (40001). Most writes raise generation numbers
// (rows of reference_generation and spend_generation, bumped by triggers
// in the writing statement, migrations 45 and 53-57), so nearly every
// write transaction locks some of those rows, in the order its statements
// reach the tables: awarding a tender locks 'ocds' (the award) before
// 'contract-dashboard' (the contract), while editing an organisation
// locks 'contract-dashboard' before 'ocds'. No order of the statements can
// be imposed on every transaction, so tx runs a transaction aborted for
// either reason again, from the start, a bounded number of times with a
// random pause: the aborted attempt rolled back everything, its audit
// event included, and the new attempt reads the audit chain's head again,
// so the chain keeps one event per committed change, in commit order.
// SQLite has one writer and never fails this way.

// txAttempts is how many times tx runs a transaction that keeps being
// aborted before it gives up and returns the error.
const txAttempts = 6

// txRetryable reports whether err is a deadlock or serialization failure,
// after which the whole transaction may be run again.
func txRetryable(err error) bool {
	if err == nil {
		return false
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pe.Code == "40P01" || pe.Code == "40001"
	}
	// Some callers wrap with %v (wrapConn), which keeps only the text.
	msg := err.Error()
	return strings.Contains(msg, "SQLSTATE 40P01") || strings.Contains(msg, "SQLSTATE 40001")
}

// txRetryPause is the pause before attempt n+1 (n ≥ 1): a random time in
// [d/2, d) with d = 10 ms · 2^(n-1), so the two transactions that met do
// not start again in step; under 310 ms in all over txAttempts.
func txRetryPause(n int) time.Duration {
	d := 10 * time.Millisecond << (n - 1)
	return d/2 + rand.N(d/2)
}

// retryTx decides, after attempt n of a transaction ended with err,
// whether tx runs it again, and waits the pause before it does.
func (s *Store) retryTx(ctx context.Context, err error, n int) bool {
	limit := txAttempts
	if s.txAttempts > 0 {
		limit = s.txAttempts
	}
	if s.dialect != Postgres || n >= limit || !txRetryable(err) || ctx.Err() != nil {
		return false
	}
	s.txRetries.Add(1)
	t := time.NewTimer(txRetryPause(n))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// TxRetries is how many transactions this store has run again after a
// deadlock or serialization failure since it was opened.
func (s *Store) TxRetries() int64 { return s.txRetries.Load() }
