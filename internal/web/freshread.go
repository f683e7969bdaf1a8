package web

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// freshRead shares one read of a small value that nearly every request of
// a page asks for — a generation number guarding a kept copy — among the
// requests that ask at the same moment, without ever handing a request a
// value read before it asked: a request joins a read only while that read
// has not yet started, so the read it gets began after it arrived and sees
// every write committed before then, on any node. At most one read runs
// at a time; the requests arriving meanwhile wait for it to end and share
// the next.
//
// Why: under load (64 connections on two cores) every request read its
// generation on its own, so dozens of one-row queries queued for the four
// SQLite read connections, which database/sql hands to a waiter chosen at
// random: a few requests waited for many hand-offs in a row, which made
// the long tail (p99) of /ocds.json, /spend, /fund/rounds/{id} and
// /tenders.atom (block profile, bench/RESULTS.md).
type freshRead[T any] struct {
	mu sync.Mutex
	// running is the read under way (nil when none); next is the read
	// that will start when it ends, gathering the requests arriving now.
	running, next *freshFlight[T]
}

type freshFlight[T any] struct {
	done chan struct{}
	v    T
	err  error
}

var errFreshReadUnfinished = errors.New("the shared read did not finish")

// get returns a value read by load after the call began. The load runs
// with ctx stripped of its cancellation, since other requests may share
// its result; a caller whose own ctx ends stops waiting.
func (f *freshRead[T]) get(ctx context.Context, load func(context.Context) (T, error)) (T, error) {
	f.mu.Lock()
	if f.running == nil { // nothing under way: read now
		fl := &freshFlight[T]{done: make(chan struct{})}
		f.running = fl
		f.mu.Unlock()
		return f.run(ctx, fl, load)
	}
	fl, lead := f.next, false
	if fl == nil {
		fl, lead = &freshFlight[T]{done: make(chan struct{})}, true
		f.next = fl
	}
	prev := f.running
	f.mu.Unlock()
	if !lead {
		select {
		case <-fl.done:
			return fl.v, fl.err
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
	}
	// This request leads the next read: it starts once the read under way,
	// which may have begun before any of its sharers arrived, has ended.
	<-prev.done
	f.mu.Lock()
	f.running, f.next = fl, nil
	f.mu.Unlock()
	return f.run(ctx, fl, load)
}

// run does fl's read and hands it to fl's sharers (an error if load
// panics).
func (f *freshRead[T]) run(ctx context.Context, fl *freshFlight[T], load func(context.Context) (T, error)) (T, error) {
	fl.err = errFreshReadUnfinished
	defer func() {
		f.mu.Lock()
		if f.running == fl {
			f.running = nil
		}
		f.mu.Unlock()
		close(fl.done)
	}()
	fl.v, fl.err = load(context.WithoutCancel(ctx))
	return fl.v, fl.err
}

// generationReads shares reads of reference generations (freshRead), one
// per set of kinds.
type generationReads struct {
	mu sync.Mutex
	m  map[string]*freshRead[int64]
}

// generationSum is Store.GenerationSum(kinds...) (Store.ReferenceGeneration
// for one kind, the same number), shared with the requests asking for the
// same kinds at the same moment (freshRead): every write committed before
// the call is counted.
func (s *Server) generationSum(ctx context.Context, kinds ...string) (int64, error) {
	key := strings.Join(kinds, ",")
	g := &s.gens
	g.mu.Lock()
	f := g.m[key]
	if f == nil {
		if g.m == nil {
			g.m = map[string]*freshRead[int64]{}
		}
		f = &freshRead[int64]{}
		g.m[key] = f
	}
	g.mu.Unlock()
	return f.get(ctx, func(ctx context.Context) (int64, error) {
		if len(kinds) == 1 {
			return s.Store.ReferenceGeneration(ctx, kinds[0])
		}
		return s.Store.GenerationSum(ctx, kinds...)
	})
}
