package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
	"github.com/svhub/svhub/internal/web"
)

// TestOpenDataKeptUntilItChanges: /ocds.json, /network.json and /network
// are built from copies kept under generation numbers, yet every node
// shows a write on its very next request (two servers with their own
// caches on one database), a deadline passing shows with no write, and
// /ocds.json is byte for byte the package built straight from the
// database and written by json.Encoder, on both engines.
func TestOpenDataKeptUntilItChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := newHubOn(t, s)
		at := time.Now().Truncate(time.Second)
		fixed := func() time.Time { return at }
		node2 := h.nodeServer(t, fixed)
		c := h.client(t)
		// reference is the package as the handler built it before
		// anything was kept: straight from the store at the time.
		reference := func() []byte {
			t.Helper()
			in, err := h.store.OCDSInput(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			in.Prefix, in.BaseURL, in.Publisher = web.OCDSPrefix, "http://hub.test", "Social Value Hub"
			pkg, err := ocds.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetIndent("", "  ")
			if err := enc.Encode(pkg); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
		same := func(when string) string {
			t.Helper()
			var body string
			for range 2 { // the second from the copy
				var res *http.Response
				res, body = get(t, c, node2.URL+"/ocds.json?bench=1")
				if want := reference(); res.StatusCode != 200 || body != string(want) {
					t.Fatalf("%s: /ocds.json (%d, %d bytes) differs from the package built from the store (%d bytes)", when, res.StatusCode, len(body), len(want))
				}
				if n := res.Header.Get("Content-Length"); n != strconv.Itoa(len(body)) {
					t.Fatalf("%s: Content-Length %s for %d bytes", when, n, len(body))
				}
			}
			return body
		}
		first := same("demo")
		at = at.Add(time.Second)
		if later := same("a second later, from the kept package"); later == first {
			t.Error("a second later, the package has the same publishedDate")
		}
		// Either side of an open tender's deadline: sealed, then not.
		in, err := h.store.OCDSInput(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		var deadline time.Time
		for _, tn := range in.Tenders {
			if tn.Status == tenders.Published && tn.ParentID == 0 && (deadline.IsZero() || tn.Deadline.Before(deadline)) {
				deadline = tn.Deadline
			}
		}
		if deadline.IsZero() {
			t.Fatal("the demo has no open tender")
		}
		back := at
		at = deadline.Add(-time.Nanosecond)
		sealed := same("just before a deadline")
		at = deadline
		if after := same("at the deadline"); strings.Count(after, `"numberOfTenderers"`) <= strings.Count(sealed, `"numberOfTenderers"`) {
			t.Error("the deadline passed, and /ocds.json still seals the tender's number of tenderers")
		}
		at = back
		same("back to now")
		ocdsHas := func(want string) {
			t.Helper()
			for _, node := range []string{h.URL, node2.URL} {
				if res, body := get(t, c, node+"/ocds.json?bench=1"); res.StatusCode != 200 || !strings.Contains(body, want) {
					t.Errorf("%s/ocds.json: %d, %q not in it", node, res.StatusCode, want)
				}
			}
		}
		networkHas := func(want string) {
			t.Helper()
			for _, node := range []string{h.URL, node2.URL} {
				for _, path := range []string{"/network?bench=1", "/network.json?bench=1"} {
					if res, body := get(t, c, node+path); res.StatusCode != 200 || !strings.Contains(body, want) {
						t.Errorf("%s%s: %d, %q not in it", node, path, res.StatusCode, want)
					}
				}
			}
		}
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		buyer, err := h.store.OrganisationBySlug(ctx, "trafford-council")
		if err != nil {
			t.Fatal(err)
		}
		group, err := h.store.OrganisationBySlug(ctx, "trafford-deaf-centre")
		if err != nil {
			t.Fatal(err)
		}
		ocdsHas("Trafford Council")
		networkHas("Trafford Council")
		buyer.LegalName = "Trafford Metropolitan Borough Council"
		if err := h.store.UpdateOrganisation(ctx, admin, buyer); err != nil {
			t.Fatal(err)
		}
		ocdsHas("Trafford Metropolitan Borough Council")
		networkHas("Trafford Metropolitan Borough Council")
		same("buyer renamed")
		edges := func() int {
			t.Helper()
			_, body := get(t, c, node2.URL+"/network.json?bench=1")
			var n struct{ Edges []json.RawMessage }
			if err := json.Unmarshal([]byte(body), &n); err != nil {
				t.Fatal(err)
			}
			return len(n.Edges)
		}
		before := edges()
		const declared = `partnership</td><td class="govuk-table__cell">1 June 2024`
		if _, body := get(t, c, node2.URL+"/network?kind=partnership&bench=1"); strings.Contains(body, declared) {
			t.Fatal("the relationship is listed before it is declared")
		}
		if err := h.store.DeclareRelationship(ctx, admin, buyer.ID, group.ID, "partnership", "2024-06-01", time.Now()); err != nil {
			t.Fatal(err)
		}
		if after := edges(); after != before+1 {
			t.Errorf("a declared relationship: %d edges, then %d", before, after)
		}
		networkHas("2024-06-01") // in the page's drawing data, and the JSON
		for _, path := range []string{"/network?bench=1", "/network?kind=partnership&bench=1"} {
			if _, body := get(t, c, node2.URL+path); !strings.Contains(body, declared) {
				t.Errorf("%s does not list the declared relationship", path)
			}
		}
		// The demo's open tenders name no number of tenderers until
		// their deadlines pass; a year on they do, with nothing written.
		counted := func(body string) int { return strings.Count(body, `"numberOfTenderers"`) }
		_, body := get(t, c, h.URL+"/ocds.json?bench=1")
		was := counted(body)
		h.advance(400 * 24 * time.Hour)
		at = at.Add(400 * 24 * time.Hour)
		if _, body := get(t, c, h.URL+"/ocds.json?bench=1"); counted(body) <= was {
			t.Errorf("a year on, %d tenders name their number of tenderers, as many as before (%d)", counted(body), was)
		}
		same("a year on")
	})
}

// TestOCDSRequestsTogether: requests arriving together on a node that
// keeps nothing yet, and again after a write, share one read of the input
// and one build, and each gets the whole package as of its own time.
func TestOCDSRequestsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := newHubOn(t, s)
		c := h.client(t)
		together := func(want string) {
			t.Helper()
			bodies := make([]string, 12)
			var wg sync.WaitGroup
			for i := range bodies {
				wg.Go(func() { // no t.Fatal off the test's goroutine
					res, err := c.Get(h.URL + "/ocds.json?bench=1")
					if err != nil {
						bodies[i] = err.Error()
						return
					}
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if bodies[i] = string(b); res.StatusCode != 200 {
						bodies[i] = res.Status
					}
				})
			}
			wg.Wait()
			for i, body := range bodies {
				var pkg ocds.Package
				if err := json.Unmarshal([]byte(body), &pkg); err != nil || len(pkg.Releases) == 0 || !strings.Contains(body, want) {
					t.Fatalf("request %d of 12: %d releases, %q in it: %v, error %v", i, len(pkg.Releases), want, strings.Contains(body, want), err)
				}
			}
		}
		together("Trafford Council")
		buyer, err := h.store.OrganisationBySlug(ctx, "trafford-council")
		if err != nil {
			t.Fatal(err)
		}
		buyer.LegalName = "Trafford Metropolitan Borough Council"
		if err := h.store.UpdateOrganisation(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, buyer); err != nil {
			t.Fatal(err)
		}
		together("Trafford Metropolitan Borough Council")
	})
}
