package web

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// PublicCacheTTL is how long a rendered public page is reused for anonymous
// visitors. These pages hold no per-user data and change only when
// reference data does, so a short micro-cache is safe on every node and
// spares the template work that dominated their cost.
const PublicCacheTTL = 30 * time.Second

type cachedPage struct {
	body   []byte
	header http.Header
	until  time.Time
}

type pageCache struct {
	mu    sync.RWMutex
	pages map[string]cachedPage
}

// cacheable reports whether the request is an anonymous, flash-free GET of
// the bare path (no query), whose response is the same for everyone.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || r.URL.RawQuery != "" || actorFrom(r).SignedIn() {
		return false
	}
	if _, err := r.Cookie(flashCookie); err == nil {
		return false
	}
	return true
}

// publicCached serves fn's page from the cache for anonymous visitors.
func (s *Server) publicCached(fn handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !cacheable(r) {
			return fn(w, r)
		}
		now := s.now()
		s.cache.mu.RLock()
		c, ok := s.cache.pages[r.URL.Path]
		s.cache.mu.RUnlock()
		if ok && now.Before(c.until) {
			for k, v := range c.header {
				w.Header()[k] = v
			}
			_, err := w.Write(c.body)
			return err
		}
		rec := &capture{ResponseWriter: w, code: http.StatusOK}
		if err := fn(rec, r); err != nil {
			return err
		}
		if rec.code == http.StatusOK {
			h := http.Header{"Content-Type": w.Header().Values("Content-Type")}
			s.cache.mu.Lock()
			if s.cache.pages == nil {
				s.cache.pages = map[string]cachedPage{}
			}
			s.cache.pages[r.URL.Path] = cachedPage{body: rec.buf.Bytes(), header: h, until: now.Add(PublicCacheTTL)}
			s.cache.mu.Unlock()
		}
		return nil
	}
}

// capture passes a response through and keeps a copy.
type capture struct {
	http.ResponseWriter
	code int
	buf  bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	c.code = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}

// genMap holds values read under one generation number.
type genMap[K comparable, V any] struct {
	gen int64
	m   map[K]V
}

// maxKept bounds the values a genMap keeps under one generation: filters
// come from the query string, so past it values are loaded and not kept.
const maxKept = 256

// cachedGen returns m's value for k if it was read under generation g, and
// otherwise loads it and keeps it under g (unless a newer generation has
// been seen meanwhile, or maxKept values are kept, when the value is used
// once and not kept).
func cachedGen[K comparable, V any](mu *sync.Mutex, m *genMap[K, V], g int64, k K, load func() (V, error)) (V, error) {
	mu.Lock()
	if m.gen == g {
		if v, ok := m.m[k]; ok {
			mu.Unlock()
			return v, nil
		}
	}
	mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	mu.Lock()
	defer mu.Unlock()
	if g > m.gen || m.m == nil {
		m.gen, m.m = g, map[K]V{}
	}
	if g == m.gen && len(m.m) < maxKept {
		m.m[k] = v
	}
	return v, nil
}
