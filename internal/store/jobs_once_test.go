package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Four nodes racing to queue the same once-key queue one job; another key
// queues another, and keyless jobs are unaffected.
func TestEnqueueJobOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := time.Now().Add(-time.Second)
		var wg sync.WaitGroup
		var mu sync.Mutex
		queued := 0
		for range 4 {
			wg.Go(func() {
				ok, err := s.EnqueueJobOnce(ctx, "daily", "daily:2026-12-07", "2026-12-07", now)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					queued++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if queued != 1 {
			t.Fatalf("queued %d times, want once", queued)
		}
		if ok, err := s.EnqueueJobOnce(ctx, "daily", "daily:2026-12-08", "2026-12-08", now); err != nil || !ok {
			t.Fatalf("next day: %v %v", ok, err)
		}
		for range 2 {
			if _, err := s.EnqueueJob(ctx, "plain", "p", now); err != nil {
				t.Fatal(err)
			}
		}
		days := map[string]int{}
		for {
			j, ok, err := s.ClaimJob(ctx, "w", time.Now(), time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			days[j.Kind+" "+j.Payload]++
		}
		if len(days) != 3 || days["daily 2026-12-07"] != 1 || days["daily 2026-12-08"] != 1 || days["plain p"] != 2 {
			t.Fatalf("claimed %v", days)
		}
		// Done or not, the key stays taken.
		if ok, err := s.EnqueueJobOnce(ctx, "daily", "daily:2026-12-07", "2026-12-07", now); err != nil || ok {
			t.Fatalf("queued again: %v %v", ok, err)
		}
	})
}
