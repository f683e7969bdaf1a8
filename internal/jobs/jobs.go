// Package jobs runs background work queued in the database. Every app node
// runs a Runner; a job is leased to one node at a time, retried with
// backoff when it fails, and taken over when a node dies mid-job.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// Job is a unit of background work kept in the database.
type Job struct {
	ID        int64
	Kind      string
	Payload   string
	Status    string // queued | running | done | failed
	Attempts  int
	LastError string
}

// Store is the queue the runner needs.
type Store interface {
	// ClaimJob leases the oldest due job of one of kinds.
	ClaimJob(ctx context.Context, worker string, now time.Time, lease time.Duration, kinds ...string) (Job, bool, error)
	FinishJob(ctx context.Context, id int64, worker string, err error, retryAt *time.Time) error
}

// Handler does one kind of job. It should be idempotent: a job whose node
// died after the work but before recording it runs again.
type Handler func(ctx context.Context, payload string) error

// Runner polls the queue and runs handlers. It claims only the kinds it
// has handlers for, so a node can run several runners as lanes: a lane of
// slow, rate-limited jobs (such as the Companies House search) never keeps
// an officer's spend import waiting.
type Runner struct {
	Store       Store
	Handlers    map[string]Handler
	Worker      string // unique per process, e.g. host:pid
	Poll        time.Duration
	Lease       time.Duration
	MaxAttempts int
	Log         *slog.Logger
	Now         func() time.Time
}

// Backoff is the delay before retry n (1-based): 10 s, 40 s, 90 s … capped at an hour.
func Backoff(attempt int) time.Duration {
	return min(time.Duration(attempt*attempt)*10*time.Second, time.Hour)
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// RunOnce claims and runs at most one job; it reports whether it found one.
func (r *Runner) RunOnce(ctx context.Context) (bool, error) {
	kinds := slices.Sorted(maps.Keys(r.Handlers))
	if len(kinds) == 0 {
		return false, nil // no handlers: nothing this runner may claim
	}
	j, ok, err := r.Store.ClaimJob(ctx, r.Worker, r.now(), r.Lease, kinds...)
	if err != nil || !ok {
		return false, err
	}
	jctx, cancel := context.WithTimeout(ctx, r.Lease)
	jobErr := safeRun(jctx, r.Handlers[j.Kind], j.Payload)
	cancel()
	var retryAt *time.Time
	if jobErr != nil && j.Attempts < r.MaxAttempts {
		t := r.now().Add(Backoff(j.Attempts))
		retryAt = &t
	}
	if jobErr != nil && r.Log != nil {
		r.Log.Warn("job failed", "id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "retry", retryAt != nil, "err", jobErr)
	}
	return true, r.Store.FinishJob(ctx, j.ID, r.Worker, jobErr, retryAt)
}

func safeRun(ctx context.Context, h Handler, payload string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("job panicked: %v", v)
		}
	}()
	return h(ctx, payload)
}

// Run works the queue until ctx ends, draining it between polls.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.Poll)
	defer t.Stop()
	for {
		for {
			found, err := r.RunOnce(ctx)
			if err != nil && r.Log != nil && ctx.Err() == nil {
				r.Log.Error("job queue", "err", err)
			}
			if !found || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
