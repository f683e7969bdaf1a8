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
