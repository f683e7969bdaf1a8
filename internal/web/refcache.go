package web

import (
	"context"
	"net/http"
	"sync"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/store"
)

// refCache keeps reference data that many pages list and that rarely
// changes — the priorities of the edition in force — with
// the generation number it was read under (store.ReferenceGeneration). A
// request reads the number (one small query) and reuses the copy only
// while it is unchanged; every write to the tables behind it raises the
// number in the same transaction, on any node. Callers must not modify
// what they get.
type refCache struct {
	mu         sync.Mutex
	priorities refEntry[[]framework.Priority]
}

type refEntry[T any] struct {
	gen int64
	val T
	ok  bool
}

// cachedRef returns e's value if it was read under the current generation
// of kind, and otherwise loads it and keeps it.
func cachedRef[T any](ctx context.Context, s *Server, e *refEntry[T], kind string, load func() (T, error)) (T, error) {
	g, err := s.Store.ReferenceGeneration(ctx, kind)
	if err != nil {
		var zero T
		return zero, err
	}
	s.ref.mu.Lock()
	if e.ok && e.gen == g {
		v := e.val
		s.ref.mu.Unlock()
		return v, nil
	}
	s.ref.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	s.ref.mu.Lock()
	if !e.ok || g >= e.gen {
		e.gen, e.val, e.ok = g, v, true
	}
	s.ref.mu.Unlock()
	return v, nil
}

// currentPriorities are latestPriorities kept between requests.
func (s *Server) currentPriorities(r *http.Request) []framework.Priority {
	ps, err := cachedRef(r.Context(), s, &s.ref.priorities, store.RefPriorities, func() ([]framework.Priority, error) {
		return s.latestPriorities(r), nil
	})
	if err != nil {
		return nil
	}
	return ps
}
