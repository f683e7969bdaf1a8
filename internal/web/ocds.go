package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// openDataCache keeps what the open data pages are built from — the OCDS
// package's input and the package built from it, and the anchors network —
// with the sum of the generations guarding it (store.GenerationSum:
// migration 56's 'ocds' and 'network', and the geography for area names).
// A request reads the sum (one small query) and reuses the copy only while
// it is unchanged; every write to the tables behind it raises it in the same
// transaction, on any node. What is kept is read-only; the JSON and pages
// are still written on every request, with the request's time.
type openDataCache struct {
	mu      sync.Mutex
	ocds    refEntry[ocds.Input]
	built   ocdsBuilt
	network refEntry[networkData]
	// views are the network page's rendered drawings and rows (network.go).
	views map[networkViewKey]networkView
}

// ocdsBuilt is a package with what it was built from: the input's
// generation and every way the time enters ocds.Build — the date in the
// clock's zone (milestones past due) and in UTC (verified delivery so far),
// and how many published tenders' deadlines have passed (a tender is sealed
// until then, and closes after). Between two times with the same key, Build
// gives the same package but for its publishedDate.
type ocdsBuilt struct {
	key ocdsBuildKey
	pkg ocds.Package
	ok  bool
}

type ocdsBuildKey struct {
	gen         int64
	day, utcDay string
	passed      int
}

// networkData is every organisation and relationship of the network.
type networkData struct {
	nodes []hub.Node
	edges []hub.Edge
}

// cachedOpenData returns e's value if it was read under generation g, and
// otherwise loads it and keeps it.
func cachedOpenData[T any](s *Server, e *refEntry[T], g int64, load func() (T, error)) (T, error) {
	c := &s.open
	c.mu.Lock()
	if e.ok && e.gen == g {
		v := e.val
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if !e.ok || g >= e.gen {
		e.gen, e.val, e.ok = g, v, true
	}
	c.mu.Unlock()
	return v, nil
}

// ocdsPackageAt is the hub's OCDS release package at now: ocds.Build of
// store.OCDSInput(now), from copies kept under the OCDS and geography
// generations. The tenders are read once without a time and closed at now
// (store.OCDSTendersAt), so a deadline passing needs no write to show; the
// built package is reused while its ocdsBuildKey holds, with now as its
// publishedDate. The input's maps are shared: ocds.Build only reads them.
func (s *Server) ocdsPackageAt(ctx context.Context, now time.Time) (ocds.Package, error) {
	g, err := s.Store.GenerationSum(ctx, store.RefOCDS, store.RefGeography)
	if err != nil {
		return ocds.Package{}, err
	}
	in, err := cachedOpenData(s, &s.open.ocds, g, func() (ocds.Input, error) {
		return s.Store.OCDSInput(ctx, time.Time{})
	})
	if err != nil {
		return ocds.Package{}, err
	}
	key := ocdsBuildKey{gen: g, day: now.Format(time.DateOnly), utcDay: now.UTC().Format(time.DateOnly)}
	for _, t := range in.Tenders {
		if t.Status == tenders.Published && !now.Before(t.Deadline) {
			key.passed++
		}
	}
	s.open.mu.Lock()
	if b := s.open.built; b.ok && b.key == key {
		s.open.mu.Unlock()
		b.pkg.PublishedDate = now.UTC().Format(time.RFC3339)
		return b.pkg, nil
	}
	s.open.mu.Unlock()
	in.Tenders, in.Now = store.OCDSTendersAt(in.Tenders, now), now
	in.Prefix, in.BaseURL, in.Publisher = s.ocidPrefix(), s.BaseURL, "Social Value Hub"
	pkg, err := ocds.Build(in)
	if err != nil {
		return pkg, fmt.Errorf("%v: %w", err, problem.ErrNotFound)
	}
	s.open.mu.Lock()
	if b := s.open.built; !b.ok || g >= b.key.gen {
		s.open.built = ocdsBuilt{key: key, pkg: pkg, ok: true}
	}
	s.open.mu.Unlock()
	return pkg, nil
}

// networkData is every node and edge of the network, kept under its
// generation, which it returns.
func (s *Server) networkData(ctx context.Context) (networkData, int64, error) {
	g, err := s.Store.GenerationSum(ctx, store.RefNetwork)
	if err != nil {
		return networkData{}, 0, err
	}
	d, err := cachedOpenData(s, &s.open.network, g, func() (networkData, error) {
		nodes, err := s.Store.NetworkNodes(ctx)
		if err != nil {
			return networkData{}, err
		}
		edges, err := s.Store.NetworkEdges(ctx)
		return networkData{nodes, edges}, err
	})
	return d, g, err
}

// writeIndentedJSON writes v exactly as writeJSON does (two-space indent,
// HTML-safe escapes, a final newline), with a Content-Length, at a
// fraction of the cost: the compact encoding is indented in one pass over
// its bytes (appendIndented) instead of by json.Indent's scanner.
func (s *Server) writeIndentedJSON(w http.ResponseWriter, code int, v any) error {
	compact, _ := s.bufs.Get().(*bytes.Buffer)
	if compact == nil {
		compact = new(bytes.Buffer)
	}
	defer s.putBuffer(compact)
	if err := json.NewEncoder(compact).Encode(v); err != nil {
		return err
	}
	out, _ := s.bufs.Get().(*bytes.Buffer)
	if out == nil {
		out = new(bytes.Buffer)
	}
	defer s.putBuffer(out)
	// Indenting adds a newline and its indent per comma and bracket; the
	// buffer keeps what the result grew to, for the next request.
	out.Grow(2 * compact.Len())
	b := appendIndented(out.AvailableBuffer(), compact.Bytes())
	*out = *bytes.NewBuffer(b[:0])
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	_, _ = w.Write(b)
	return nil
}

// appendIndented appends src, compact JSON as encoding/json writes it (no
// space outside strings, valid), indented as json.Indent(dst, src, "",
// "  ") would: a newline and two spaces per level after an opening
// bracket and a comma and before a closing one, a space after a colon,
// and empty objects and arrays kept as {} and [].
func appendIndented(dst, src []byte) []byte {
	depth, open := 0, false // open: a bracket was just opened
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			newline()
		}
		switch c {
		case '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				newline()
			}
			dst = append(dst, c)
		default:
			j := i + 1
			for j < len(src) && !structural(src[j]) {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		}
	}
	return dst
}

// structural reports whether c starts or ends something appendIndented
// spaces out, or a string.
func structural(c byte) bool {
	switch c {
	case '"', '{', '}', '[', ']', ',', ':':
		return true
	}
	return false
}
