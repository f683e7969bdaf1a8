package web

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFreshReadNeverStale: requests sharing reads (freshRead) each get a
// value read after they asked — every write committed before the call is
// in it — while far fewer reads run than requests ask; a waiting request
// whose context ends stops waiting; an error reaches every sharer.
func TestFreshReadNeverStale(t *testing.T) {
	var f freshRead[int64]
	var committed, loads atomic.Int64
	load := func(ctx context.Context) (int64, error) {
		loads.Add(1)
		v := committed.Load() // the read's snapshot
		time.Sleep(200 * time.Microsecond)
		return v, ctx.Err()
	}
	const workers, each = 32, 100
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range each {
				wrote := committed.Add(1) // a write committed before the call
				got, err := f.get(context.Background(), load)
				if err != nil || got < wrote {
					errs <- errors.New("a stale or failed read")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := loads.Load(); n >= workers*each/2 {
		t.Errorf("%d reads for %d requests: not shared", n, workers*each)
	}

	// A sharer whose request ends stops waiting; the read goes on.
	release := make(chan struct{})
	slow := func(context.Context) (int64, error) { <-release; return 7, nil }
	first := make(chan int64)
	go func() { v, _ := f.get(context.Background(), slow); first <- v }()
	for {
		f.mu.Lock()
		running := f.running != nil
		f.mu.Unlock()
		if running {
			break
		}
		time.Sleep(time.Millisecond)
	}
	second := make(chan int64) // leads the next read
	go func() { v, _ := f.get(context.Background(), slow); second <- v }()
	for {
		f.mu.Lock()
		queued := f.next != nil
		f.mu.Unlock()
		if queued {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.get(ctx, slow); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled waiter: %v", err)
	}
	close(release)
	if v, w := <-first, <-second; v != 7 || w != 7 {
		t.Errorf("the reads gave %d and %d", v, w)
	}

	// An error is every sharer's.
	boom := errors.New("boom")
	var g freshRead[int64]
	if _, err := g.get(context.Background(), func(context.Context) (int64, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("error: %v", err)
	}
	// A panicking read does not hold up the requests waiting to read next.
	gate := make(chan struct{})
	go func() {
		defer func() { _ = recover() }()
		_, _ = g.get(context.Background(), func(context.Context) (int64, error) { <-gate; panic("read failed") })
	}()
	for {
		g.mu.Lock()
		running := g.running != nil
		g.mu.Unlock()
		if running {
			break
		}
		time.Sleep(time.Millisecond)
	}
	done := make(chan error)
	go func() {
		v, err := g.get(context.Background(), func(context.Context) (int64, error) { return 9, nil })
		if err == nil && v != 9 {
			err = errors.New("a value not its own read's")
		}
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	close(gate)
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request waiting behind a panicking read still waits")
	}
}
