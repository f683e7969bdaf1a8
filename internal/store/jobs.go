package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/jobs"
)

// EnqueueJob adds work to run after runAfter.
func (s *Store) EnqueueJob(ctx context.Context, kind, payload string, runAfter time.Time) (int64, error) {
	var id int64
	err := s.w.QueryRowContext(ctx, `INSERT INTO jobs (kind, payload, status, run_after, created_at) VALUES ($1, $2, 'queued', $3, $4) RETURNING id`,
		kind, payload, runAfter.UTC(), time.Now().UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s job: %w", kind, wrapConn(err))
	}
	return id, nil
}

// EnqueueJobOnce adds work to run after runAfter unless a job with the
// same key was ever queued (by this node or another): it reports whether
// this call queued it. Nodes that race to queue the same key queue it once.
func (s *Store) EnqueueJobOnce(ctx context.Context, kind, key, payload string, runAfter time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO jobs (kind, payload, status, run_after, created_at, once_key) VALUES ($1, $2, 'queued', $3, $4, $5) ON CONFLICT (once_key) DO NOTHING`,
		kind, payload, runAfter.UTC(), time.Now().UTC(), key)
	if err != nil {
		return false, fmt.Errorf("enqueue %s job %s: %w", kind, key, wrapConn(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("enqueue %s job %s: %w", kind, key, err)
	}
	return n == 1, nil
}

// ClaimJob leases the oldest runnable job to worker until now+lease: a
// queued job that is due, or a running one whose lease has lapsed. It
// returns false when there is none. On PostgreSQL SKIP LOCKED lets nodes
// claim side by side; SQLite's single writer makes the statement atomic.
// With kinds given, only jobs of those kinds are claimed, so a runner
// never takes work it has no handler for and one lane's slow jobs never
// hold up another's.
func (s *Store) ClaimJob(ctx context.Context, worker string, now time.Time, lease time.Duration, kinds ...string) (jobs.Job, bool, error) {
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	args := []any{worker, now.Add(lease).UTC(), now.UTC()}
	only := ""
	if len(kinds) > 0 {
		marks := make([]string, len(kinds))
		for i, k := range kinds {
			args = append(args, k)
			marks[i] = fmt.Sprintf("$%d", len(args))
		}
		only = " AND kind IN (" + strings.Join(marks, ", ") + ")"
	}
	var j jobs.Job
	err := s.w.QueryRowContext(ctx, `UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1
		WHERE id = (SELECT id FROM jobs WHERE ((status = 'queued' AND run_after <= $3) OR (status = 'running' AND locked_until < $3))`+only+` ORDER BY id LIMIT 1`+lock+`)
		RETURNING id, kind, payload, status, attempts, last_error`, args...).
		Scan(&j.ID, &j.Kind, &j.Payload, &j.Status, &j.Attempts, &j.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return jobs.Job{}, false, nil
	}
	if err != nil {
		return jobs.Job{}, false, fmt.Errorf("claim job: %w", wrapConn(err))
	}
	return j, true, nil
}

// FinishJob records the outcome of a claimed job. With retryAt set, a
// failure is queued again; otherwise it is final. A worker whose lease was
// taken over by another cannot overwrite that worker's result.
func (s *Store) FinishJob(ctx context.Context, id int64, worker string, jobErr error, retryAt *time.Time) error {
	now := time.Now().UTC()
	var res sql.Result
	var err error
	switch {
	case jobErr == nil:
		res, err = s.w.ExecContext(ctx, `UPDATE jobs SET status = 'done', finished_at = $1, locked_until = NULL, last_error = '' WHERE id = $2 AND locked_by = $3 AND status = 'running'`, now, id, worker)
	case retryAt != nil:
		res, err = s.w.ExecContext(ctx, `UPDATE jobs SET status = 'queued', run_after = $1, locked_until = NULL, last_error = $2 WHERE id = $3 AND locked_by = $4 AND status = 'running'`, retryAt.UTC(), jobErr.Error(), id, worker)
	default:
		res, err = s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed', finished_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3 AND locked_by = $4 AND status = 'running'`, now, jobErr.Error(), id, worker)
	}
	if err != nil {
		return fmt.Errorf("finish job %d: %w", id, wrapConn(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish job %d: the lease passed to another worker", id)
	}
	return nil
}

// JobByID reads a job's state.
func (s *Store) JobByID(ctx context.Context, id int64) (jobs.Job, error) {
	var j jobs.Job
	err := s.readRow(ctx, `SELECT id, kind, payload, status, attempts, last_error FROM jobs WHERE id = $1`, id).Scan(&j.ID, &j.Kind, &j.Payload, &j.Status, &j.Attempts, &j.LastError)
	return j, notFound(err, "job")
}
