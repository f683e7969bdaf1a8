package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/cli"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

var bg = context.Background()

func adminActor(t *testing.T, s *store.Store) auth.Actor {
	u, err := s.UserByEmail(bg, "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.ActorForUser(bg, u)
	return a
}

// openRound creates and opens a hub round over framework 1's priorities.
func openRound(t *testing.T, s *store.Store) priorities.Round {
	t.Helper()
	f, err := s.Framework(bg, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := priorities.Round{Title: "Test round", Explanation: "x", FrameworkID: 1, OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(time.Hour)}
	for _, p := range f.Priorities {
		r.Priorities = append(r.Priorities, priorities.RoundPriority{ID: p.ID, Code: p.Code, Title: p.Title})
	}
	a := adminActor(t, s)
	id, err := s.CreateRound(bg, a, r)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MoveRound(bg, a, id, priorities.Open, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Round(bg, id)
	return got
}

func ballotForm(r priorities.Round, pts ...int) url.Values {
	v := url.Values{"postcode": {"M15 4AB"}}
	for i, p := range r.Priorities {
		v.Set("points-"+p.Code, fmt.Sprint(pts[i]))
	}
	return v
}

// Parallel submissions by one person leave exactly one ballot, on both engines.
func TestConcurrentBallotsLeaveOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		r := openRound(t, s)
		c := h.signedIn(t, "resident@example.org")
		var wg sync.WaitGroup
		codes := make([]int, 16)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				res, err := c.PostForm(fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID), ballotForm(r, 100-i, i, 0, 0, 0, 0))
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				codes[i] = res.StatusCode
			}(i)
		}
		wg.Wait()
		for i, code := range codes {
			if code != http.StatusSeeOther {
				t.Errorf("request %d: %d", i, code)
			}
		}
		recs, err := s.RoundRecords(bg, r.ID)
		if err != nil || len(recs) != 1 {
			t.Fatalf("%d ballots after parallel submissions (%v)", len(recs), err)
		}
	})
}

func TestBallotBadInput(t *testing.T) {
	h := newHub(t)
	r := openRound(t, h.store)
	c := h.signedIn(t, "resident@example.org")
	u := fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID)
	cases := []struct {
		form url.Values
		want string
	}{
		{ballotForm(r, 50, 10, 10, 10, 10, 0), "Your points add up to 90; add 10 more"},
		{ballotForm(r, 60, 10, 10, 10, 10, 10), "Your points add up to 110; take away 10"},
		{ballotForm(r, -10, 60, 10, 10, 10, 20), "cannot be negative"},
		{func() url.Values { v := ballotForm(r, 50, 10, 10, 10, 10, 10); v.Set("points-P1", "12.5"); return v }(), "must be a whole number"},
		{func() url.Values { v := ballotForm(r, 50, 10, 10, 10, 10, 10); v.Set("postcode", "SW1A 1AA"); return v }(), "Greater Manchester postcode"},
		{func() url.Values { v := ballotForm(r, 50, 10, 10, 10, 10, 10); v.Set("postcode", "nonsense"); return v }(), "not a postcode"},
	}
	for _, tc := range cases {
		res, err := c.PostForm(u, tc.form)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != 422 || !strings.Contains(b.String(), tc.want) {
			t.Errorf("%v: %d, want 422 with %q", tc.form, res.StatusCode, tc.want)
		}
		if !strings.Contains(b.String(), `value="`+tc.form.Get("points-P1")+`"`) {
			t.Errorf("the typed points were not kept")
		}
	}
	if recs, _ := h.store.RoundRecords(bg, r.ID); len(recs) != 0 {
		t.Fatalf("a bad ballot was stored")
	}
	// After the close: a clear message and nothing stored.
	if err := h.store.MoveRound(bg, adminActor(t, h.store), r.ID, priorities.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, _ := c.PostForm(u, ballotForm(r, 50, 10, 10, 10, 10, 10))
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !strings.Contains(b.String(), "This round closed at") {
		t.Fatalf("ballot after close: %d", res.StatusCode)
	}
	if recs, _ := h.store.RoundRecords(bg, r.ID); len(recs) != 0 {
		t.Fatalf("a late ballot was stored")
	}
}

func TestPrioritiesPermissions(t *testing.T) {
	h := newHub(t)
	r := openRound(t, h.store)
	base := fmt.Sprintf("/priorities/%d", r.ID)
	newRound := url.Values{"title": {"T"}, "explanation": {"E"}, "framework_id": {"1"}, "priorities": {"1", "2"}, "owner": {"0"}, "opens_at": {"2026-01-01T09:00"}, "closes_at": {"2026-02-01T09:00"}}
	rows := []struct {
		method, path string
		form         url.Values
		want         map[string]int
	}{
		{"GET", "/priorities/new", nil, map[string]int{"resident": 403, "supplier": 403, "buyer": 200, "admin": 200}},
		{"POST", "/priorities", newRound, map[string]int{"anonymous": 401, "resident": 403, "vcse": 403, "buyer": 422, "admin": 303}},
		{"POST", base + "/status", url.Values{"to": {"closed"}}, map[string]int{"anonymous": 401, "resident": 403, "buyer": 403, "vcse": 403}},
		{"POST", base + "/publish", nil, map[string]int{"anonymous": 401, "resident": 403, "buyer": 403}},
		{"GET", base + "/comments", nil, map[string]int{"resident": 403, "buyer": 403, "admin": 200}},
		{"GET", base + "/workshop/moss-side-community-kitchen", nil, map[string]int{"resident": 403, "supplier": 403, "vcse": 200, "vcse-admin": 200, "admin": 403}},
		{"POST", base + "/workshop/moss-side-community-kitchen/codes", url.Values{"count": {"2"}}, map[string]int{"anonymous": 401, "resident": 403, "buyer": 403, "vcse": 200}},
		{"GET", base + "/results", nil, map[string]int{"anonymous": 404, "resident": 404, "admin": 404}},
		{"GET", base + "/ballots.csv", nil, map[string]int{"anonymous": 404, "admin": 404}},
		{"POST", base + "/ballot", ballotForm(r, 50, 10, 10, 10, 10, 10), map[string]int{"anonymous": 401}},
		// An open round's priorities cannot be edited, even by an administrator.
		{"POST", base + "/edit", url.Values{"title": {"T"}, "explanation": {"E"}, "priorities": {"1"}, "opens_at": {"2026-01-01T09:00"}, "closes_at": {"2026-02-01T09:00"}}, map[string]int{"anonymous": 401, "resident": 403, "buyer": 403, "admin": 409}},
		{"GET", base + "/edit", nil, map[string]int{"resident": 403, "admin": 409}},
	}
	clients := map[string]*http.Client{"anonymous": h.client(t)}
	for _, row := range rows {
		for actor, want := range row.want {
			c, ok := clients[actor]
			if !ok {
				c = h.signedIn(t, actor+"@example.org")
				clients[actor] = c
			}
			var code int
			if row.method == "GET" {
				res, _ := get(t, c, h.URL+row.path)
				code = res.StatusCode
			} else {
				code = post(t, c, h.URL+row.path, row.form).StatusCode
			}
			if code != want {
				t.Errorf("%s %s as %s: %d, want %d", row.method, row.path, actor, code, want)
			}
		}
	}
}

// The anonymised export, run through 'svhub priorities aggregate', gives the
// published weights; its SHA-256 is the published one.
func TestPublishedExportRecomputes(t *testing.T) {
	h := newHub(t)
	s := h.store
	r := openRound(t, s)
	a := adminActor(t, s)
	splits := [][]int{{100, 0, 0, 0, 0, 0}, {0, 50, 50, 0, 0, 0}, {10, 20, 30, 20, 10, 10}, {0, 0, 0, 0, 0, 100}, {25, 25, 25, 25, 0, 0}}
	for i := 0; i < 37; i++ {
		pts := map[int64]int{}
		for j, p := range r.Priorities {
			pts[p.ID] = splits[i%len(splits)][j]
		}
		district := []string{"E08000003", "E08000009", "E08000001"}[i%3]
		if _, err := s.SubmitBallot(bg, a, store.Ballot{RoundID: r.ID, VoterKey: fmt.Sprint("test:", i), Channel: priorities.Online, DistrictCode: district, IMDDecile: 1 + i%10, Points: pts}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MoveRound(bg, a, r.ID, priorities.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	admin := h.signedIn(t, "admin@example.org")
	if res := post(t, admin, fmt.Sprintf("%s/priorities/%d/publish", h.URL, r.ID), nil); res.StatusCode != 303 {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	anon := h.client(t)
	_, csv := get(t, anon, fmt.Sprintf("%s/priorities/%d/ballots.csv", h.URL, r.ID))
	_, js := get(t, anon, fmt.Sprintf("%s/api/v1/rounds/%d/results", h.URL, r.ID))
	var published struct {
		Weights map[string]float64 `json:"weights"`
		SHA     string             `json:"ballots_csv_sha256"`
		Ballots int                `json:"ballots"`
	}
	if err := json.Unmarshal([]byte(js), &published); err != nil || published.Ballots != 37 {
		t.Fatalf("results: %v %s", err, js)
	}
	sum := sha256.Sum256([]byte(csv))
	if hex.EncodeToString(sum[:]) != published.SHA {
		t.Fatal("the export's SHA-256 differs from the published one")
	}
	if strings.Contains(csv, "test:") || strings.Contains(csv, "resident") {
		t.Fatal("the export contains voter identities")
	}
	file := filepath.Join(t.TempDir(), "ballots.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"svhub", "priorities", "aggregate", "--format", "json", file}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("cli: %d %s", code, errOut.String())
	}
	var recomputed struct {
		Weights map[string]float64 `json:"weights"`
		Ballots int                `json:"ballots"`
	}
	if err := json.Unmarshal(out.Bytes(), &recomputed); err != nil || recomputed.Ballots != 37 {
		t.Fatalf("cli output: %v %s", err, out.String())
	}
	total := 0.0
	for code, w := range published.Weights {
		total += recomputed.Weights[code]
		if math.Abs(recomputed.Weights[code]-w) > 1e-12 {
			t.Errorf("%s: recomputed %.15f, published %.15f", code, recomputed.Weights[code], w)
		}
	}
	if math.Abs(total-1) > 1e-9 {
		t.Errorf("recomputed weights sum to %v", total)
	}
	// The results page and the API agree, and the round is frozen.
	if _, page := get(t, anon, fmt.Sprintf("%s/priorities/%d/results", h.URL, r.ID)); !strings.Contains(page, "People's Weights") {
		t.Fatal("results page")
	}
	if res := post(t, admin, fmt.Sprintf("%s/priorities/%d/status", h.URL, r.ID), url.Values{"to": {"open"}}); res.StatusCode != 409 {
		t.Fatalf("reopening a published round: %d", res.StatusCode)
	}
}
