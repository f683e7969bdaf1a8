package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func TestJobQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now()
		const n = 12
		for i := 0; i < n; i++ {
			if _, err := s.EnqueueJob(ctx, "test", "p", now.Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		future, _ := s.EnqueueJob(ctx, "test", "later", now.Add(time.Hour))
		// Four workers claim concurrently: each due job goes to exactly one.
		var mu sync.Mutex
		claimed := map[int64]string{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(worker string) {
				defer wg.Done()
				for {
					j, ok, err := s.ClaimJob(ctx, worker, now, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						return
					}
					mu.Lock()
					if prev, dup := claimed[j.ID]; dup {
						t.Errorf("job %d claimed by %s and %s", j.ID, prev, worker)
					}
					claimed[j.ID] = worker
					mu.Unlock()
				}
			}(string(rune('A' + w)))
		}
		wg.Wait()
		if len(claimed) != n {
			t.Fatalf("claimed %d of %d due jobs", len(claimed), n)
		}
		if _, ok := claimed[future]; ok {
			t.Fatal("a job was claimed before its time")
		}
		// Finish one, retry one, fail one.
		ids := []int64{}
		for id := range claimed {
			ids = append(ids, id)
		}
		if err := s.FinishJob(ctx, ids[0], claimed[ids[0]], nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishJob(ctx, ids[0], "Z", nil, nil); err == nil {
			t.Fatal("a worker without the lease finished a job")
		}
		retry := now.Add(-time.Millisecond)
		if err := s.FinishJob(ctx, ids[1], claimed[ids[1]], errors.New("smtp down"), &retry); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishJob(ctx, ids[2], claimed[ids[2]], errors.New("bad address"), nil); err != nil {
			t.Fatal(err)
		}
		j, ok, err := s.ClaimJob(ctx, "E", now, time.Minute)
		if err != nil || !ok || j.ID != ids[1] || j.Attempts != 2 || j.LastError != "smtp down" {
			t.Fatalf("retry not reclaimed: %v %v %+v", err, ok, j)
		}
		// A lapsed lease lets another worker take the job over.
		later := now.Add(2 * time.Minute)
		taken, ok, err := s.ClaimJob(ctx, "F", later, time.Minute)
		if err != nil || !ok {
			t.Fatalf("lapsed lease not reclaimed: %v", err)
		}
		if got, _ := s.JobByID(ctx, taken.ID); got.Status != "running" {
			t.Fatalf("status %s", got.Status)
		}
		if got, _ := s.JobByID(ctx, ids[2]); got.Status != "failed" || got.LastError != "bad address" {
			t.Fatalf("failed job: %+v", got)
		}
		if got, _ := s.JobByID(ctx, ids[0]); got.Status != "done" {
			t.Fatalf("done job: %+v", got)
		}
	})
}

// A runner claims only the kinds it names: an older job of another kind is
// left for the lane that handles it, and a lapsed lease is taken over only
// within the same kinds.
func TestClaimJobByKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now()
		slow, _ := s.EnqueueJob(ctx, "slow", "1", now.Add(-time.Minute))
		fast, _ := s.EnqueueJob(ctx, "fast", "2", now.Add(-time.Second))
		mail, _ := s.EnqueueJob(ctx, "mail", "3", now.Add(-time.Second))
		j, ok, err := s.ClaimJob(ctx, "A", now, time.Minute, "fast", "mail")
		if err != nil || !ok || j.ID != fast {
			t.Fatalf("claimed %+v %v %v; want the fast job %d, not the older slow one %d", j, ok, err, fast, slow)
		}
		j, ok, err = s.ClaimJob(ctx, "A", now, time.Minute, "fast", "mail")
		if err != nil || !ok || j.ID != mail {
			t.Fatalf("claimed %+v %v %v; want the mail job %d", j, ok, err, mail)
		}
		if j, ok, err := s.ClaimJob(ctx, "A", now, time.Minute, "fast", "mail"); err != nil || ok {
			t.Fatalf("claimed %+v %v: only a slow job is left", j, err)
		}
		if j, ok, err := s.ClaimJob(ctx, "B", now.Add(2*time.Minute), time.Minute, "slow"); err != nil || !ok || j.ID != slow {
			t.Fatalf("the slow lane claimed %+v %v %v; want its job %d, not the lapsed fast ones", j, ok, err, slow)
		}
	})
}
