package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/jobs"
	"github.com/svhub/svhub/internal/store"
)

func TestRunnerRetriesThenSucceeds(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "jobs.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	clock := time.Now()
	calls := 0
	r := &jobs.Runner{Store: s, Worker: "w1", Poll: time.Second, Lease: time.Minute, MaxAttempts: 3, Now: func() time.Time { return clock },
		Handlers: map[string]jobs.Handler{"flaky": func(ctx context.Context, payload string) error {
			calls++
			if calls < 3 {
				return errors.New("not yet")
			}
			return nil
		}, "boom": func(context.Context, string) error { panic("handler bug") }}}
	id, _ := s.EnqueueJob(ctx, "flaky", "{}", clock)
	for attempt := 1; attempt <= 3; attempt++ {
		found, err := r.RunOnce(ctx)
		if err != nil || !found {
			t.Fatalf("attempt %d: %v %v", attempt, found, err)
		}
		if found, _ := r.RunOnce(ctx); found {
			t.Fatal("a failed job ran again before its backoff")
		}
		clock = clock.Add(jobs.Backoff(attempt) + time.Second)
	}
	if j, _ := s.JobByID(ctx, id); j.Status != "done" || calls != 3 {
		t.Fatalf("job %+v after %d calls", j, calls)
	}
	// A panicking handler fails the job instead of the node; a kind with no
	// handler here is left queued for a runner that has one.
	pid, _ := s.EnqueueJob(ctx, "boom", "", clock)
	uid, _ := s.EnqueueJob(ctx, "nobody-handles-this", "", clock)
	for i := 0; i < 2; i++ {
		if _, err := r.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if j, _ := s.JobByID(ctx, pid); j.Status != "queued" || j.LastError == "" {
		t.Fatalf("panicking job: %+v", j)
	}
	if j, _ := s.JobByID(ctx, uid); j.Status != "queued" || j.Attempts != 0 {
		t.Fatalf("a kind this runner has no handler for: %+v", j)
	}
}

// Two runners as lanes: while a slow job holds one, the other's jobs run.
func TestRunnerLanesDoNotWaitOnEachOther(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "jobs.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	release, started, ran := make(chan struct{}), make(chan struct{}), make(chan struct{}, 1)
	slow := &jobs.Runner{Store: s, Worker: "n:slow", Poll: 10 * time.Millisecond, Lease: time.Minute, MaxAttempts: 3,
		Handlers: map[string]jobs.Handler{"slow": func(ctx context.Context, _ string) error {
			close(started)
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil
		}}}
	fast := &jobs.Runner{Store: s, Worker: "n:fast", Poll: 10 * time.Millisecond, Lease: time.Minute, MaxAttempts: 3,
		Handlers: map[string]jobs.Handler{"fast": func(context.Context, string) error { ran <- struct{}{}; return nil }}}
	if _, err := s.EnqueueJob(ctx, "slow", "", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	go slow.Run(ctx)
	<-started
	id, _ := s.EnqueueJob(ctx, "fast", "", time.Now().Add(-time.Second))
	go fast.Run(ctx)
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the fast job waited on the slow one")
	}
	close(release)
	for i := 0; i < 100; i++ {
		if j, _ := s.JobByID(ctx, id); j.Status == "done" {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the fast job was not recorded as done")
}
