package web

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/spend"
)

func TestSpendReportCacheBoundedAndGenerational(t *testing.T) {
	var c spendReportCache
	k := spendReportKey{buyer: 1, from: "2025-04-01", to: "2026-03-31", top: 50}
	c.put(k, builtSpend{generation: 7, services: []spend.ServiceSpend{{Service: "A Ltd"}}})
	if b, ok := c.get(k, 7); !ok || b.services[0].Service != "A Ltd" {
		t.Fatalf("stored report not returned: %v %v", b, ok)
	}
	if _, ok := c.get(k, 8); ok {
		t.Fatal("a report from an older generation was returned")
	}
	other := k
	other.buyer = 2
	if _, ok := c.get(other, 7); ok {
		t.Fatal("another buyer's request found the first buyer's report")
	}
	for i := range 3 * spendReportCacheSize {
		c.put(spendReportKey{buyer: int64(i + 10)}, builtSpend{generation: 1})
	}
	if n := len(c.entries); n > spendReportCacheSize {
		t.Fatalf("cache grew to %d entries, bound %d", n, spendReportCacheSize)
	}
}

// Requests arriving together for a report not yet built wait for one
// build; when that build fails each builds for itself; a waiter whose own
// request ends stops waiting.
func TestSpendReportBuiltOnceForRequestsTogether(t *testing.T) {
	var c spendReportCache
	k := spendReportKey{buyer: 1, from: "2024-04-01", to: "2025-03-31", top: 50}
	release := make(chan struct{})
	var calls atomic.Int64
	slow := func() (builtSpend, error) {
		calls.Add(1)
		<-release
		return builtSpend{generation: 3, services: []spend.ServiceSpend{{Service: "A Ltd"}}}, nil
	}
	const n = 8
	var wg sync.WaitGroup
	got := make([]builtSpend, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { got[i], errs[i] = c.build(context.Background(), k, 3, slow) })
	}
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the others queue behind the first
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("%d requests together built the report %d times", n, calls.Load())
	}
	for i := range n {
		if errs[i] != nil || len(got[i].services) != 1 || got[i].services[0].Service != "A Ltd" {
			t.Fatalf("request %d: %v %v", i, got[i], errs[i])
		}
	}
	if b, ok := c.get(k, 3); !ok || b.services[0].Service != "A Ltd" {
		t.Fatal("the built report was not kept")
	}

	// A failed build: the waiters build for themselves.
	k.top = 300
	failing := make(chan struct{})
	var first atomic.Bool
	build := func() (builtSpend, error) {
		if first.CompareAndSwap(false, true) {
			<-failing
			return builtSpend{}, errors.New("the first request was cancelled")
		}
		return builtSpend{generation: 4, services: []spend.ServiceSpend{{Service: "B Ltd"}}}, nil
	}
	done := make(chan error, 2)
	go func() { _, err := c.build(context.Background(), k, 4, build); done <- err }()
	for !first.Load() {
		time.Sleep(time.Millisecond)
	}
	var waiter builtSpend
	go func() {
		var err error
		waiter, err = c.build(context.Background(), k, 4, build)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	close(failing)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("the failed build's own request: %v", err)
	}
	if err := <-done; err != nil || waiter.services[0].Service != "B Ltd" {
		t.Fatalf("the waiter after a failed build: %v %v", waiter, err)
	}

	// A waiter whose request ends stops waiting; a panicking build frees its waiters.
	k.top = 1 << 30
	block, started := make(chan struct{}), make(chan struct{})
	go func() {
		defer func() { _ = recover() }()
		_, _ = c.build(context.Background(), k, 5, func() (builtSpend, error) { close(started); <-block; panic("build failed") })
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.build(ctx, k, 5, slow); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a waiter whose request ended: %v", err)
	}
	after := make(chan error, 1)
	go func() {
		_, err := c.build(context.Background(), k, 5, func() (builtSpend, error) { return builtSpend{generation: 5}, nil })
		after <- err
	}()
	time.Sleep(20 * time.Millisecond)
	close(block)
	select {
	case err := <-after:
		if err != nil {
			t.Fatalf("a waiter after a panicking build: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a panicking build left its waiters waiting")
	}
}
