package companieshouse_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/companieshouse"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fake is a Companies House search API on a local server: it checks the
// key (basic auth, key as user name, no password), answers the search
// with a fixture, and can answer 429 first.
type fake struct {
	mu       sync.Mutex
	at       []time.Time // when each request came
	queries  []string
	limit429 int    // answer this many requests with 429 first
	retry    string // their Retry-After
	body     []byte
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.at = append(f.at, time.Now())
	f.queries = append(f.queries, r.URL.Query().Get("q"))
	user, pass, ok := r.BasicAuth()
	switch {
	case r.URL.Path != "/search/companies" || r.Method != http.MethodGet:
		http.NotFound(w, r)
	case !ok || user != "good-key" || pass != "":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"Invalid Authorization","type":"ch:service"}`))
	case f.limit429 > 0:
		f.limit429--
		if f.retry != "" {
			w.Header().Set("Retry-After", f.retry)
		}
		w.WriteHeader(http.StatusTooManyRequests)
	case r.URL.Query().Get("items_per_page") != strconv.Itoa(companieshouse.PageSize):
		http.Error(w, "items_per_page", http.StatusBadRequest)
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(f.body)
	}
}

func TestParseDocumentedShape(t *testing.T) {
	hits, err := companieshouse.Parse(fixture(t, "search-zyxwv.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 {
		t.Fatalf("hits: %+v", hits)
	}
	h := hits[0]
	if h.Number != "09999991" || h.Name != "ZYXWV WIDGETS LIMITED" || h.Status != "active" || h.Type != "ltd" || h.Postcode != "M15 4AB" || h.Created != "2015-01-02" || !h.Active() {
		t.Fatalf("first hit: %+v", h)
	}
	if hits[1].Active() {
		t.Fatalf("a dissolved company counted as active: %+v", hits[1])
	}
	if _, err := companieshouse.Parse([]byte("<html>")); err == nil {
		t.Fatal("an answer that is not JSON was read")
	}
}

// The key goes as the basic-auth user name; a refused key is
// ErrUnauthorized, said in words that name the setting.
func TestSearchKeyAndUnauthorized(t *testing.T) {
	f := &fake{body: fixture(t, "search-qwerty.json")}
	srv := httptest.NewServer(f)
	defer srv.Close()
	body, err := companieshouse.New(srv.URL, "good-key").Search(context.Background(), "Qwerty Care Services")
	if err != nil {
		t.Fatal(err)
	}
	if hits, _ := companieshouse.Parse(body); len(hits) != 1 || f.queries[0] != "Qwerty Care Services" {
		t.Fatalf("search: %s, queries %q", body, f.queries)
	}
	_, err = companieshouse.New(srv.URL, "bad-key").Search(context.Background(), "Qwerty Care Services")
	if !errors.Is(err, companieshouse.ErrUnauthorized) {
		t.Fatalf("bad key: %v", err)
	}
	if msg := err.Error(); msg != "the Companies House API refused the key (401 Unauthorized): check --companies-house-key (SVHUB_COMPANIES_HOUSE_KEY)" {
		t.Fatalf("message: %q", msg)
	}
}

// A 429 is waited out as Retry-After says, then the search succeeds; a
// wait longer than the client may spend is a RateLimitedError at once.
func TestSearchHonoursRetryAfter(t *testing.T) {
	f := &fake{body: fixture(t, "search-empty.json"), limit429: 1, retry: "1"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := companieshouse.New(srv.URL, "good-key")
	if _, err := c.Search(context.Background(), "Nomatch Trading"); err != nil {
		t.Fatal(err)
	}
	if len(f.at) != 2 || f.at[1].Sub(f.at[0]) < time.Second {
		t.Fatalf("requests at %v: the retry did not wait the second asked", f.at)
	}
	f.limit429, f.retry = 1, "600"
	start := time.Now()
	_, err := c.Search(context.Background(), "Nomatch Trading")
	var rl *companieshouse.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter < 599*time.Second || time.Since(start) > 5*time.Second {
		t.Fatalf("a long Retry-After: %v after %v", err, time.Since(start))
	}
	// Without Retry-After the client waits a minute: more than this
	// context allows, so it says so at once.
	f.limit429, f.retry = 1, ""
	c = companieshouse.New(srv.URL, "good-key")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Search(ctx, "Nomatch Trading"); !errors.As(err, &rl) || rl.RetryAfter < 59*time.Second {
		t.Fatalf("no Retry-After: %v", err)
	}
}

// The token bucket paces requests: a burst, then one per interval.
func TestSearchIsPaced(t *testing.T) {
	f := &fake{body: fixture(t, "search-empty.json")}
	srv := httptest.NewServer(f)
	defer srv.Close()
	c := companieshouse.New(srv.URL, "good-key")
	c.Interval, c.Burst = 100*time.Millisecond, 2
	start := time.Now()
	for range 6 {
		if _, err := c.Search(context.Background(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	// 2 at once, then 4 more 100 ms apart.
	if d := time.Since(start); d < 390*time.Millisecond {
		t.Fatalf("6 requests in %v: not paced", d)
	}
	if d := f.at[1].Sub(f.at[0]); d > 80*time.Millisecond {
		t.Fatalf("the burst was paced: %v", d)
	}
}
