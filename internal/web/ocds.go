package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
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
// transaction, on any node. What is kept is read-only. The OCDS package is
// kept encoded (ocdsBuilt), each request writing its own publishedDate;
// the network's JSON and pages are still written on every request.
type openDataCache struct {
	mu      sync.Mutex
	ocds    refEntry[ocds.Input]
	built   ocdsBuilt
	network refEntry[networkData]
	// views are the network page's rendered drawings and rows (network.go).
	views genMap[networkFilter, template.HTML]
	// jsonDocs are /network.json's bodies by filter (network.go).
	jsonDocs genMap[networkFilter, []byte]
	// building is the OCDS body being built, and ocdsLoad its input
	// being read, if any.
	building *ocdsBuild
	ocdsLoad *ocdsInputLoad
}

// ocdsBuilt is a package's JSON, as /ocds.json writes it, with what it
// was built from: the input's generation and every way the time enters
// ocds.Build — the date in the clock's zone (milestones past due) and in
// UTC (verified delivery so far), and how many published tenders'
// deadlines have passed (a tender is sealed until then, and closes after).
// Between two times with the same key, Build gives the same package but
// for its publishedDate, so the body is kept in two parts either side of
// that date's value, which each request writes with its own time.
type ocdsBuilt struct {
	key        ocdsBuildKey
	head, tail []byte
	ok         bool
}

type ocdsBuildKey struct {
	gen         int64
	day, utcDay string
	passed      int
}

// ocdsBuild is a package being built for one key: requests arriving
// together after a change wait for it instead of each building their own.
type ocdsBuild struct {
	key  ocdsBuildKey
	done chan struct{}
	body ocdsBuilt
	err  error
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

// serveOCDS writes /ocds.json: the hub's OCDS release package at the
// request's time, ocds.Build of store.OCDSInput(now), from the body kept
// for its ocdsBuildKey (ocdsBodyAt) with the request's time as its
// publishedDate. Nothing in it depends on who asks.
func (s *Server) serveOCDS(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	b, err := s.ocdsBodyAt(r.Context(), now)
	if err != nil {
		return err
	}
	var buf [32]byte
	date := now.UTC().AppendFormat(buf[:0], time.RFC3339) // as ocds.Build stamps it
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b.head)+len(date)+len(b.tail)))
	w.WriteHeader(http.StatusOK)
	for _, part := range [][]byte{b.head, date, b.tail} {
		if _, err := w.Write(part); err != nil {
			return nil // the client went away
		}
	}
	return nil
}

// ocdsBodyAt is the OCDS package at now as writeIndentedJSON would write
// it, cut either side of its publishedDate's value. The input is read
// from a copy kept under the OCDS and geography generations (read fresh
// for this request: generationSum); the tenders are read once without a
// time and closed at now (store.OCDSTendersAt), so a deadline passing
// needs no write to show. The body is reused while its ocdsBuildKey holds.
// The input's maps are shared: ocds.Build only reads them.
func (s *Server) ocdsBodyAt(ctx context.Context, now time.Time) (ocdsBuilt, error) {
	g, err := s.generationSum(ctx, store.RefOCDS, store.RefGeography) // freshread.go
	if err != nil {
		return ocdsBuilt{}, err
	}
	in, err := s.ocdsInput(ctx, g)
	if err != nil {
		return ocdsBuilt{}, err
	}
	key := ocdsBuildKey{gen: g, day: now.Format(time.DateOnly), utcDay: now.UTC().Format(time.DateOnly)}
	for _, t := range in.Tenders {
		if t.Status == tenders.Published && !now.Before(t.Deadline) {
			key.passed++
		}
	}
	c := &s.open
	c.mu.Lock()
	if b := c.built; b.ok && b.key == key {
		c.mu.Unlock()
		return b, nil
	}
	if f := c.building; f != nil && f.key == key {
		c.mu.Unlock()
		select {
		case <-f.done:
			if f.err == nil {
				return f.body, nil
			}
			return s.buildOCDS(in, now, key, nil) // its builder failed: try once more
		case <-ctx.Done():
			return ocdsBuilt{}, ctx.Err()
		}
	}
	f := &ocdsBuild{key: key, done: make(chan struct{})}
	c.building = f
	c.mu.Unlock()
	return s.buildOCDS(in, now, key, f)
}

// ocdsInput is the OCDS package's input kept under generation g; after a
// change, the requests arriving together wait for one of them to read it
// (about 14 queries) instead of each reading it.
func (s *Server) ocdsInput(ctx context.Context, g int64) (in ocds.Input, err error) {
	c := &s.open
	c.mu.Lock()
	if e := c.ocds; e.ok && e.gen == g {
		c.mu.Unlock()
		return e.val, nil
	}
	load := func() (ocds.Input, error) { return s.Store.OCDSInput(ctx, time.Time{}) }
	if l := c.ocdsLoad; l != nil && l.gen == g {
		c.mu.Unlock()
		select {
		case <-l.done:
			if l.err == nil {
				return l.in, nil
			}
			return cachedOpenData(s, &c.ocds, g, load) // its reader failed: read here
		case <-ctx.Done():
			return in, ctx.Err()
		}
	}
	l := &ocdsInputLoad{gen: g, done: make(chan struct{}), err: errOCDSBuildUnfinished}
	c.ocdsLoad = l
	c.mu.Unlock()
	finished := false // a panicking read leaves l.err set
	defer func() {
		c.mu.Lock()
		if finished {
			l.in, l.err = in, err
		}
		if c.ocdsLoad == l {
			c.ocdsLoad = nil
		}
		c.mu.Unlock()
		close(l.done)
	}()
	in, err = cachedOpenData(s, &c.ocds, g, load)
	finished = true
	return in, err
}

// ocdsInputLoad is the OCDS input being read at one generation.
type ocdsInputLoad struct {
	gen  int64
	done chan struct{}
	in   ocds.Input
	err  error
}

// buildOCDS builds and encodes the package of in at now, keeps it under
// key unless a newer generation's is kept, and hands it to the requests
// waiting on f (nil: none).
func (s *Server) buildOCDS(in ocds.Input, now time.Time, key ocdsBuildKey, f *ocdsBuild) (b ocdsBuilt, err error) {
	err = errOCDSBuildUnfinished
	defer func() {
		c := &s.open
		c.mu.Lock()
		defer c.mu.Unlock()
		if err == nil && (!c.built.ok || key.gen >= c.built.key.gen) {
			c.built = b
		}
		if f != nil {
			f.body, f.err = b, err
			if c.building == f {
				c.building = nil
			}
			close(f.done)
		}
	}()
	in.Tenders, in.Now = store.OCDSTendersAt(in.Tenders, now), now
	in.Prefix, in.BaseURL, in.Publisher = s.ocidPrefix(), s.BaseURL, "Social Value Hub"
	pkg, err := ocds.Build(in)
	if err != nil {
		return b, fmt.Errorf("%v: %w", err, problem.ErrNotFound)
	}
	pkg.PublishedDate = ""
	body, err := indentedJSON(pkg)
	if err != nil {
		return b, err
	}
	// The package's own publishedDate is its third member, before any
	// release; a quote inside a string is escaped, so the first match is it.
	mark := []byte(`"publishedDate": ""`)
	i := bytes.Index(body, mark)
	if i < 0 {
		return b, fmt.Errorf("ocds: the encoded package has no publishedDate")
	}
	cut := i + len(mark) - 1
	return ocdsBuilt{key: key, head: body[:cut:cut], tail: body[cut:], ok: true}, nil
}

var errOCDSBuildUnfinished = errors.New("ocds: the package build did not finish")

// networkData is every node and edge of the network, kept under its
// generation, which it returns.
func (s *Server) networkData(ctx context.Context) (networkData, int64, error) {
	g, err := s.generationSum(ctx, store.RefNetwork) // freshread.go
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

// indentedJSON is v as writeIndentedJSON writes it, in a new slice.
func indentedJSON(v any) ([]byte, error) {
	var compact bytes.Buffer
	if err := json.NewEncoder(&compact).Encode(v); err != nil {
		return nil, err
	}
	return appendIndented(make([]byte, 0, 2*compact.Len()), compact.Bytes()), nil
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
